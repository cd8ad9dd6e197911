"""What every part of card payments shares: the handler registry, the errors and what they
tell the person."""

from __future__ import annotations

import logging
from typing import Any, Protocol

import stripe

from portal.payments.models import Payment, Refund

logger = logging.getLogger(__name__)

PAID_STATES = (Payment.Status.PAID, Payment.Status.PARTIALLY_REFUNDED)


class PaymentError(Exception):
    """Stripe refused or could not be reached, or the request is not allowed. The message
    is safe to show to the person."""


class InvalidWebhook(Exception):
    """The webhook's signature is missing, forged or stale, or its body is not an event."""


class PaymentHandler(Protocol):
    def on_paid(self, payment: Payment) -> bool:
        """Confirm what was paid for. Return False if it can no longer be honoured: the
        payment is then refunded in full and the payer emailed."""
        ...

    def on_expired(self, payment: Payment) -> None:
        """Checkout expired or failed: release the hold."""
        ...

    def on_refunded(self, payment: Payment, refund: Refund) -> None:
        """Stripe accepted a refund (ours, or one made in Stripe's dashboard)."""
        ...


_handlers: dict[str, PaymentHandler] = {}


def register_handler(purpose: str, handler: PaymentHandler) -> None:
    """Call from the feature's AppConfig.ready(), e.g. register_handler("courses.booking", h)."""
    _handlers[purpose] = handler


def handler_for(purpose: str) -> PaymentHandler:
    try:
        return _handlers[purpose]
    except KeyError:
        # Raising rolls the change back and the webhook answers 500, so Stripe retries later.
        raise LookupError(f"No payment handler is registered for {purpose!r}.") from None


# What happened, in words the person can act on (never Stripe's own text: it can echo what
# was sent). Nothing was charged in any of these cases.
_WHAT_HAPPENED = [
    (
        stripe.APIConnectionError,
        "The card payment service (Stripe) could not be reached, so nothing was charged.",
    ),
    (
        stripe.AuthenticationError,
        "The card payment service (Stripe) did not accept our account details, so nothing "
        "was charged. This is a fault on our side that our staff need to fix.",
    ),
    (
        stripe.RateLimitError,
        "The card payment service (Stripe) was too busy to answer, so nothing was charged.",
    ),
    (
        stripe.InvalidRequestError,
        "The card payment service (Stripe) refused the request, so nothing was charged.",
    ),
]


def stripe_error(exc: stripe.StripeError, doing: str) -> PaymentError:
    # The error's class and code only: Stripe's messages can echo what was sent.
    logger.warning("Stripe %s failed: %s %s", doing, type(exc).__name__, exc.code or "")
    for kind, what_happened in _WHAT_HAPPENED:
        if isinstance(exc, kind):
            return PaymentError(what_happened)
    return PaymentError(
        "The card payment service (Stripe) answered with an error, so nothing was charged."
    )


def stripe_object_id(value: Any) -> str:
    """An expandable Stripe field is an id or an object with one."""
    if not value:
        return ""
    return value if isinstance(value, str) else value["id"]
