"""Card payments by Stripe Checkout, for any feature that sells something.

A feature registers a `PaymentHandler` for its purpose, starts a checkout for one of its own
references, and is called back once per state change: `on_paid` when the money arrived (it may
refuse, and the payment is then refunded in full automatically and the payer told),
`on_expired` when checkout expired or failed, `on_refunded` when a refund was accepted.

Rules kept here:
- every write to Stripe carries an Idempotency-Key derived from our own ids, so a retry never
  creates a second session or refund;
- a webhook is only a hint: what it names is retrieved from Stripe before anything changes;
- a Payment row is locked (select_for_update) while it changes, and Stripe is never called
  while one is locked (refunds are reserved first, then submitted after commit);
- nothing with card or personal data is logged.
"""

from portal.payments.services.base import (
    PAID_STATES,
    InvalidWebhook,
    PaymentError,
    PaymentHandler,
    register_handler,
)
from portal.payments.services.checkout import (
    CHECKOUT_LONGEST,
    CHECKOUT_SHORTEST,
    expire_checkout,
    start_checkout,
)
from portal.payments.services.refunds import refund, refund_after_commit, submit_refund
from portal.payments.services.webhooks import process_event, verify_webhook

__all__ = [
    "CHECKOUT_LONGEST",
    "CHECKOUT_SHORTEST",
    "PAID_STATES",
    "InvalidWebhook",
    "PaymentError",
    "PaymentHandler",
    "expire_checkout",
    "process_event",
    "refund",
    "refund_after_commit",
    "register_handler",
    "start_checkout",
    "submit_refund",
    "verify_webhook",
]
