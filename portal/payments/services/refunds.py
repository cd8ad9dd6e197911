"""Refunds: reserved against the payment first, then asked of Stripe."""

from __future__ import annotations

import contextlib
import logging

import stripe
from django.db import transaction

from portal.money import pounds
from portal.payments import stripe_api
from portal.payments.models import Payment, Refund
from portal.payments.services.base import PAID_STATES, PaymentError, handler_for, stripe_error

logger = logging.getLogger(__name__)


def refund(
    payment: Payment, *, amount_pence: int | None = None, reason: str, key: str | None = None
) -> Refund:
    """Refund all that is left (amount_pence None) or part of a paid payment.

    Idempotent per key: asking again with the same key returns the first Refund and refunds
    nothing more. The key defaults to "full" for a full refund and "<amount>:<reason>" for a
    partial one, so pass your own key (e.g. one per cancelled place) when two equal partial
    refunds with the same reason are both meant. Never refunds more than was paid: raises
    PaymentError (with a message to show) if the amount is more than is left, or if Stripe
    refuses. If Stripe cannot be reached the refund stays pending and is retried by the
    scheduled sweep.
    """
    if key is None:
        key = "full" if amount_pence is None else f"{amount_pence}:{reason}"
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        reserved = reserve_refund(locked, amount_pence=amount_pence, reason=reason, key=key)
    if reserved.status == Refund.Status.PENDING and not reserved.stripe_refund_id:
        reserved = submit_refund(reserved.pk)
    payment.refresh_from_db()
    return reserved


def refund_after_commit(
    payment: Payment, *, amount_pence: int | None, reason: str, key: str
) -> Refund | None:
    """For a feature that gives something back inside its own transaction (a cancellation):
    reserve the refund in that transaction, so it is never lost, and ask Stripe only after
    it commits. Nothing here raises because Stripe is unreachable or refuses: each refund is
    submitted on its own (one failure does not stop the others), and one left pending is
    retried by the scheduled sweep. Refunds at most what is left; None if nothing is (or
    the payment was never made)."""
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        existing = locked.refunds.filter(key=key).exclude(status=Refund.Status.FAILED).first()
        if existing:
            return existing
        if locked.status not in PAID_STATES:
            return None
        amount = locked.refundable_pence
        if amount_pence is not None:
            amount = min(amount_pence, amount)
        if amount <= 0:
            return None
        reserved = reserve_refund(locked, amount_pence=amount, reason=reason, key=key)
    transaction.on_commit(lambda: submit_refund_later_if_unreachable(reserved.pk), robust=True)
    return reserved


def reserve_refund(payment: Payment, *, amount_pence: int | None, reason: str, key: str) -> Refund:
    """Record the refund and count it against the payment before asking Stripe, so two
    refunds at once can never add up to more than was paid. `payment` must be locked."""
    existing = payment.refunds.filter(key=key).first()
    if existing and existing.status != Refund.Status.FAILED:
        return existing
    if payment.status not in PAID_STATES:
        raise PaymentError("Only a payment that has been made can be refunded.")
    amount = payment.refundable_pence if amount_pence is None else amount_pence
    if amount <= 0 or amount > payment.refundable_pence:
        raise PaymentError(
            f"The refund must be more than £0.00 and at most {pounds(payment.refundable_pence)}."
        )
    if existing:
        # A refund Stripe refused before: try again as a new refund, under a new key.
        existing.key = f"{key}#failed-{existing.pk}"
        existing.save(update_fields=["key", "updated_at"])
    refund_row = Refund.objects.create(
        payment=payment,
        amount_pence=amount,
        reason=reason[:200],
        key=key,
        # The payment is locked, so its refund count numbers this one uniquely.
        idempotency_key=f"payment-{payment.pk}-refund-{payment.refunds.count() + 1}",
    )
    payment.refunded_pence += amount
    payment.status = refunded_status(payment)
    payment.save(update_fields=["refunded_pence", "status", "updated_at"])
    return refund_row


def refunded_status(payment: Payment) -> str:
    if payment.refunded_pence == 0:
        return Payment.Status.PAID
    if payment.refunded_pence >= payment.amount_pence:
        return Payment.Status.REFUNDED
    return Payment.Status.PARTIALLY_REFUNDED


def submit_refund(refund_id: int) -> Refund:
    """Ask Stripe for a reserved refund (safe to repeat: same Idempotency-Key)."""
    refund_row = Refund.objects.select_related("payment").get(pk=refund_id)
    if refund_row.status != Refund.Status.PENDING or refund_row.stripe_refund_id:
        return refund_row
    payment = refund_row.payment
    try:
        result = stripe_api.client().v1.refunds.create(
            {
                "payment_intent": payment.stripe_payment_intent_id,
                "amount": refund_row.amount_pence,
                "metadata": {"payment_id": str(payment.pk), "refund_id": str(refund_row.pk)},
            },
            {"idempotency_key": refund_row.idempotency_key},
        )
    except (stripe.InvalidRequestError, stripe.CardError) as exc:
        # Stripe refused it: nothing was refunded, so give the amount back to the payment.
        with transaction.atomic():
            locked = Payment.objects.select_for_update().get(pk=payment.pk)
            refund_row.refresh_from_db()
            if refund_row.status == Refund.Status.PENDING:
                refund_row.status = Refund.Status.FAILED
                refund_row.save(update_fields=["status", "updated_at"])
                locked.refunded_pence -= refund_row.amount_pence
                locked.status = refunded_status(locked)
                locked.save(update_fields=["refunded_pence", "status", "updated_at"])
        raise stripe_error(exc, "refund") from exc
    except stripe.StripeError as exc:
        raise stripe_error(exc, "refund") from exc
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        refund_row = Refund.objects.select_for_update().get(pk=refund_id)
        if refund_row.stripe_refund_id:
            return refund_row
        refund_row.stripe_refund_id = result.id
        refund_row.status = {
            "succeeded": Refund.Status.SUCCEEDED,
            "failed": Refund.Status.FAILED,
            "canceled": Refund.Status.FAILED,
        }.get(result.status, Refund.Status.PENDING)
        refund_row.save(update_fields=["stripe_refund_id", "status", "updated_at"])
        logger.info("%s: accepted by Stripe", refund_row)
        handler_for(locked.purpose).on_refunded(locked, refund_row)
    return refund_row


def submit_refund_later_if_unreachable(refund_id: int) -> None:
    # A failure is logged and the refund stays pending: the scheduled sweep tries again.
    with contextlib.suppress(PaymentError):
        submit_refund(refund_id)
