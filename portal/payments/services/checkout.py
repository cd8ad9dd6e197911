"""Starting, expiring and reconciling Stripe Checkout sessions."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import stripe
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal import notify
from portal.money import pounds
from portal.payments import stripe_api
from portal.payments.models import Payment
from portal.payments.services.base import (
    PAID_STATES,
    PaymentError,
    handler_for,
    stripe_error,
    stripe_object_id,
)
from portal.payments.services.refunds import reserve_refund, submit_refund_later_if_unreachable

logger = logging.getLogger(__name__)

# Stripe Checkout sessions must expire between 30 minutes and 24 hours after creation (by
# Stripe's clock); a minute's margin either side keeps a little clock skew from failing it.
# Stripe needs expires_at 30 minutes or more ahead; the slack lets a retry of a lost request
# resend exactly the same parameters under its Idempotency-Key for a few minutes.
CHECKOUT_SHORTEST = timedelta(minutes=35)
CHECKOUT_LONGEST = timedelta(hours=23, minutes=59)
UNHONOURED_REFUND_KEY = "unhonoured"


def start_checkout(
    *,
    purpose: str,
    reference: str,
    amount_pence: int,
    description: str,
    customer_email: str,
    success_url: str,
    cancel_url: str,
    hold_expires_at: datetime,
    metadata: dict | None = None,
    payer=None,
) -> Payment:
    """Open (or find) the checkout for this reference; redirect the payer to checkout_url.

    Idempotent per (purpose, reference): while a checkout is open, or once it is paid, the
    same Payment comes back and no second session is created. `metadata` is sent to Stripe:
    ids only, never personal data. `payer` (a User) lets emails honour their safe-contact
    preferences. Raises PaymentError if Stripe cannot be reached; calling again is safe.
    """
    if amount_pence <= 0:
        raise ValueError("A checkout needs a positive amount; free places need no payment.")
    if not stripe_api.configured():
        raise PaymentError("Card payments are not available on this site.")
    payment = _current_or_new_payment(
        purpose=purpose,
        reference=reference,
        amount_pence=amount_pence,
        description=description,
        customer_email=customer_email,
        hold_expires_at=hold_expires_at,
        metadata=metadata or {},
        payer=payer,
    )
    if payment.status != Payment.Status.OPEN or payment.stripe_checkout_session_id:
        return payment
    session = _create_session(payment, success_url=success_url, cancel_url=cancel_url)
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if not payment.stripe_checkout_session_id:
            payment.stripe_checkout_session_id = session.id
            payment.checkout_url = session.url
            payment.checkout_expires_at = datetime.fromtimestamp(session.expires_at, UTC)
            payment.save(
                update_fields=[
                    "stripe_checkout_session_id",
                    "checkout_url",
                    "checkout_expires_at",
                    "updated_at",
                ]
            )
    logger.info("%s: checkout opened", payment)
    return payment


def _current_or_new_payment(*, purpose: str, reference: str, **fields: Any) -> Payment:
    current = (
        Payment.objects.filter(
            purpose=purpose, reference=reference, status__in=[Payment.Status.OPEN, *PAID_STATES]
        )
        .order_by("-created_at")
        .first()
    )
    if current:
        return current
    try:
        with transaction.atomic():
            return Payment.objects.create(purpose=purpose, reference=reference, **fields)
    except IntegrityError:
        # Another request opened it at the same moment: the constraint allows one; use it.
        return Payment.objects.get(purpose=purpose, reference=reference, status=Payment.Status.OPEN)


def _create_session(payment: Payment, *, success_url: str, cancel_url: str):
    # From the payment's creation, not from now: a retry must send identical parameters.
    opened = payment.created_at
    expires_at = min(
        max(payment.hold_expires_at, opened + CHECKOUT_SHORTEST), opened + CHECKOUT_LONGEST
    )
    metadata = {
        **{key: str(value) for key, value in payment.metadata.items()},
        "payment_id": str(payment.pk),
        "purpose": payment.purpose,
        "reference": payment.reference,
    }
    params = {
        "mode": "payment",
        "payment_method_types": ["card"],
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": payment.currency,
                    "unit_amount": payment.amount_pence,
                    "product_data": {"name": payment.description},
                },
            }
        ],
        "customer_email": payment.customer_email,
        "client_reference_id": str(payment.pk),
        "success_url": success_url,
        "cancel_url": cancel_url,
        "expires_at": int(expires_at.timestamp()),
        "metadata": metadata,
        "payment_intent_data": {"metadata": metadata},
    }
    try:
        return stripe_api.client().v1.checkout.sessions.create(
            params, {"idempotency_key": f"payment-{payment.pk}-checkout"}
        )
    except stripe.StripeError as exc:
        raise stripe_error(exc, "checkout creation") from exc


def expire_checkout(payment: Payment) -> Payment:
    """Our hold lapsed: expire the Stripe session so it can no longer be paid, mark the
    payment expired and call the handler's on_expired (once). If the payer paid in the
    meantime, Stripe says so and the payment is recorded as paid instead (on_paid).
    Call it after your own transaction commits: it talks to Stripe."""
    if payment.status != Payment.Status.OPEN:
        return payment
    if not payment.stripe_checkout_session_id:
        # The session was never created (Stripe was unreachable): nothing can be paid.
        with transaction.atomic():
            return _close_checkout(payment.pk, Payment.Status.EXPIRED)[0]
    sessions = stripe_api.client().v1.checkout.sessions
    try:
        session = sessions.expire(
            payment.stripe_checkout_session_id,
            options={"idempotency_key": f"payment-{payment.pk}-expire"},
        )
    except stripe.InvalidRequestError:
        # Already completed or expired at Stripe: ask what it is now.
        try:
            session = sessions.retrieve(payment.stripe_checkout_session_id)
        except stripe.StripeError as exc:
            raise stripe_error(exc, "checkout retrieval") from exc
    except stripe.StripeError as exc:
        raise stripe_error(exc, "checkout expiry") from exc
    with transaction.atomic():
        return apply_session(payment.pk, session)[0]


# Reconciling with what Stripe says


def apply_session(payment_id: int, session, *, failed: bool = False) -> tuple[Payment, str]:
    """Bring the payment in line with the checkout session as Stripe reports it. Call inside
    a transaction."""
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    paid = session.status == "complete" and session.payment_status in (
        "paid",
        "no_payment_required",
    )
    if paid:
        return _mark_paid(payment, stripe_object_id(session.payment_intent))
    if session.status == "expired" or (failed and payment.status == Payment.Status.OPEN):
        status = Payment.Status.FAILED if failed else Payment.Status.EXPIRED
        return _close_checkout(payment.pk, status)
    return payment, f"nothing to do: checkout {session.status}"


def _close_checkout(payment_id: int, status: str) -> tuple[Payment, str]:
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    if payment.status != Payment.Status.OPEN:
        # Expiry never undoes a payment, and on_expired is called once.
        return payment, f"already {payment.status}"
    payment.status = status
    payment.save(update_fields=["status", "updated_at"])
    handler_for(payment.purpose).on_expired(payment)
    logger.info("%s: checkout closed", payment)
    return payment, status


def _mark_paid(payment: Payment, payment_intent_id: str) -> tuple[Payment, str]:
    if payment.status not in (Payment.Status.OPEN, Payment.Status.EXPIRED, Payment.Status.FAILED):
        return payment, f"already {payment.status}"
    hold_had_lapsed = payment.status != Payment.Status.OPEN
    payment.status = Payment.Status.PAID
    payment.paid_at = timezone.now()
    payment.stripe_payment_intent_id = payment_intent_id
    payment.save(update_fields=["status", "paid_at", "stripe_payment_intent_id", "updated_at"])
    logger.info("%s: paid%s", payment, " after its hold lapsed" if hold_had_lapsed else "")
    if handler_for(payment.purpose).on_paid(payment):
        return payment, "paid"
    refund = reserve_refund(
        payment,
        amount_pence=None,
        reason="What was paid for could no longer be held.",
        key=UNHONOURED_REFUND_KEY,
    )
    _tell_payer_of_unhonoured_refund(payment)
    transaction.on_commit(lambda: submit_refund_later_if_unreachable(refund.pk), robust=True)
    logger.info("%s: could not be honoured; refunding in full", payment)
    return payment, "paid but not honoured: refunded"


def _tell_payer_of_unhonoured_refund(payment: Payment) -> None:
    recipient = (
        notify.Recipient.for_user(payment.payer)
        if payment.payer
        else notify.Recipient(email=payment.customer_email)
    )
    notify.send(
        recipient,
        notify.Message(
            kind="payments.refunded_unhonoured",
            template="payments/emails/refunded_unhonoured",
            subject=f"Your payment for {payment.description} has been refunded",
            context={
                "description": payment.description,
                "amount": pounds(payment.amount_pence),
                "reference": payment.reference,
            },
            concerns=payment,
        ),
    )
