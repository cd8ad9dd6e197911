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

from __future__ import annotations

import contextlib
import json
import logging
import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal import identifiers, notify
from portal.payments import stripe_api
from portal.payments.models import Payment, Refund, StripeEvent, pounds

logger = logging.getLogger(__name__)

# Stripe Checkout sessions must expire between 30 minutes and 24 hours after creation (by
# Stripe's clock); a minute's margin either side keeps a little clock skew from failing it.
# Stripe needs expires_at 30 minutes or more ahead; the slack lets a retry of a lost request
# resend exactly the same parameters under its Idempotency-Key for a few minutes.
CHECKOUT_SHORTEST = timedelta(minutes=35)
CHECKOUT_LONGEST = timedelta(hours=23, minutes=59)
WEBHOOK_TOLERANCE_SECONDS = 300
# How far ahead of our clock a signature's time may be (clock skew), and no further.
WEBHOOK_SKEW_SECONDS = 30
# What Stripe's ids and event types look like: anything else is not an event of Stripe's.
STRIPE_ID = re.compile(r"[A-Za-z0-9_]{1,255}")
EVENT_ID = STRIPE_ID
EVENT_TYPE = re.compile(r"[a-z0-9_.]{1,100}")
UNHONOURED_REFUND_KEY = "unhonoured"
PAID_STATES = (Payment.Status.PAID, Payment.Status.PARTIALLY_REFUNDED)
HANDLED_EVENTS = {
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.expired",
    "checkout.session.async_payment_failed",
    "payment_intent.payment_failed",
    "charge.refunded",
}


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


def _handler(purpose: str) -> PaymentHandler:
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


def _stripe_error(exc: stripe.StripeError, doing: str) -> PaymentError:
    # The error's class and code only: Stripe's messages can echo what was sent.
    logger.warning("Stripe %s failed: %s %s", doing, type(exc).__name__, exc.code or "")
    for kind, what_happened in _WHAT_HAPPENED:
        if isinstance(exc, kind):
            return PaymentError(what_happened)
    return PaymentError(
        "The card payment service (Stripe) answered with an error, so nothing was charged."
    )


def _id(value: Any) -> str:
    """An expandable Stripe field is an id or an object with one."""
    if not value:
        return ""
    return value if isinstance(value, str) else value["id"]


# Starting and expiring checkout


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
        raise _stripe_error(exc, "checkout creation") from exc


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
            raise _stripe_error(exc, "checkout retrieval") from exc
    except stripe.StripeError as exc:
        raise _stripe_error(exc, "checkout expiry") from exc
    with transaction.atomic():
        return _apply_session(payment.pk, session)[0]


# Reconciling with what Stripe says


def _apply_session(payment_id: int, session, *, failed: bool = False) -> tuple[Payment, str]:
    """Bring the payment in line with the checkout session as Stripe reports it. Call inside
    a transaction."""
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    paid = session.status == "complete" and session.payment_status in (
        "paid",
        "no_payment_required",
    )
    if paid:
        return _mark_paid(payment, _id(session.payment_intent))
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
    _handler(payment.purpose).on_expired(payment)
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
    if _handler(payment.purpose).on_paid(payment):
        return payment, "paid"
    refund = _reserve_refund(
        payment,
        amount_pence=None,
        reason="What was paid for could no longer be held.",
        key=UNHONOURED_REFUND_KEY,
    )
    _tell_payer_of_unhonoured_refund(payment)
    transaction.on_commit(lambda: _submit_refund_later_if_unreachable(refund.pk), robust=True)
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
        ),
    )


# Refunds


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
        reserved = _reserve_refund(locked, amount_pence=amount_pence, reason=reason, key=key)
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
        reserved = _reserve_refund(locked, amount_pence=amount, reason=reason, key=key)
    transaction.on_commit(lambda: _submit_refund_later_if_unreachable(reserved.pk), robust=True)
    return reserved


def _reserve_refund(payment: Payment, *, amount_pence: int | None, reason: str, key: str) -> Refund:
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
    payment.status = _refunded_status(payment)
    payment.save(update_fields=["refunded_pence", "status", "updated_at"])
    return refund_row


def _refunded_status(payment: Payment) -> str:
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
                locked.status = _refunded_status(locked)
                locked.save(update_fields=["refunded_pence", "status", "updated_at"])
        raise _stripe_error(exc, "refund") from exc
    except stripe.StripeError as exc:
        raise _stripe_error(exc, "refund") from exc
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
        _handler(locked.purpose).on_refunded(locked, refund_row)
    return refund_row


def _submit_refund_later_if_unreachable(refund_id: int) -> None:
    # A failure is logged and the refund stays pending: the scheduled sweep tries again.
    with contextlib.suppress(PaymentError):
        submit_refund(refund_id)


# Webhooks


def verify_webhook(payload: bytes, signature: str | None) -> dict:
    """The event, if Stripe signed it with our secret within the tolerance (either side of
    our clock) and it has an event's shape; else InvalidWebhook."""
    try:
        text = payload.decode("utf-8")
        stripe.WebhookSignature.verify_header(
            text, signature, settings.STRIPE_WEBHOOK_SECRET, WEBHOOK_TOLERANCE_SECONDS
        )
        event = json.loads(text)
    except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError) as exc:
        raise InvalidWebhook(type(exc).__name__) from exc
    # Stripe's library refuses only old signatures; one dated ahead of our clock (beyond a
    # little skew) was not made by Stripe just now, and would stay "fresh" for longer.
    signed_at = _signature_timestamp(signature or "")
    if signed_at is None or signed_at > time.time() + WEBHOOK_SKEW_SECONDS:
        raise InvalidWebhook("signed in the future")
    data = event.get("data") if isinstance(event, dict) else None
    if not (
        isinstance(event, dict)
        and isinstance(event.get("id"), str)
        and EVENT_ID.fullmatch(event["id"])
        and isinstance(event.get("type"), str)
        and EVENT_TYPE.fullmatch(event["type"])
        and isinstance(data, dict)
        and isinstance(data.get("object"), dict)
    ):
        raise InvalidWebhook("not an event")
    return event


def _signature_timestamp(header: str) -> int | None:
    stamps = [item[2:] for item in header.split(",") if item.startswith("t=")]
    return identifiers.ascii_int(stamps[0]) if len(stamps) == 1 else None


def _stripe_id(value: Any) -> str | None:
    """An id as Stripe issues them (e.g. "cs_test_a1B2"), or None for anything else."""
    return value if isinstance(value, str) and STRIPE_ID.fullmatch(value) else None


def process_event(event: dict) -> str:
    """Act on a verified event once. A replay (same event id) changes nothing. Raises
    PaymentError if Stripe cannot be asked, so the webhook fails and Stripe retries."""
    with transaction.atomic():
        record, _ = StripeEvent.objects.get_or_create(
            event_id=event["id"],
            defaults={"type": event["type"], "livemode": bool(event.get("livemode"))},
        )
        record = StripeEvent.objects.select_for_update().get(pk=record.pk)
        if record.processed_at:
            return "replay: ignored"
        outcome = _dispatch(event["type"], event["data"]["object"])
        record.processed_at = timezone.now()
        record.outcome = outcome[:200]
        record.save(update_fields=["processed_at", "outcome"])
    logger.info("Stripe event %s (%s): %s", record.event_id, record.type, outcome)
    return outcome


def _dispatch(event_type: str, obj: dict) -> str:
    if event_type not in HANDLED_EVENTS:
        return "ignored: not a type we handle"
    stripe_client = stripe_api.client()
    try:
        if event_type.startswith("checkout.session."):
            session_id = _stripe_id(obj.get("id"))
            session = session_id and _retrieve_named(
                stripe_client.v1.checkout.sessions.retrieve, session_id
            )
            payment = _payment_for_session(session) if session else None
            if payment is None:
                return _unknown(event_type, "not one of our checkouts")
            failed = event_type == "checkout.session.async_payment_failed"
            return _apply_session(payment.pk, session, failed=failed)[1]
        intent_id = _stripe_id(
            obj.get("payment_intent") if event_type == "charge.refunded" else obj.get("id")
        )
        intent = intent_id and _retrieve_named(
            stripe_client.v1.payment_intents.retrieve, intent_id, {"expand": ["latest_charge"]}
        )
        payment = _payment_for_intent(intent) if intent else None
        if payment is None:
            return _unknown(event_type, "not one of our payments")
        if payment.status not in PAID_STATES + (Payment.Status.REFUNDED,):
            # The checkout's own event has not arrived (or was lost): ask about it now.
            session = stripe_client.v1.checkout.sessions.retrieve(
                payment.stripe_checkout_session_id
            )
            outcome = _apply_session(payment.pk, session)[1]
            if event_type == "payment_intent.payment_failed":
                return outcome
        if event_type == "charge.refunded":
            return _record_refunds_made_at_stripe(payment.pk, intent)
        return "nothing to do"
    except stripe.StripeError as exc:
        raise _stripe_error(exc, f"retrieval for {event_type}") from exc


def _retrieve_named(retrieve, object_id: str, *args):
    """What an event names, from Stripe; None if Stripe has no such object (an event from
    another account or mode, or a test): that is answered, not retried for days."""
    try:
        return retrieve(object_id, *args)
    except stripe.InvalidRequestError as exc:
        if exc.code == "resource_missing":
            return None
        raise


def _unknown(event_type: str, why: str) -> str:
    # Acknowledged (Stripe would retry an error for days) and logged for whoever looks.
    logger.warning("Stripe event %s ignored: %s", event_type, why)
    return f"ignored: {why}"


def _payment_for_session(session) -> Payment | None:
    payment = Payment.objects.filter(stripe_checkout_session_id=session.id).first()
    if payment is None:
        # Our response to the creation may have been lost; Stripe's metadata names the payment.
        payment = Payment.objects.filter(
            pk=_metadata_payment_id(session), stripe_checkout_session_id=""
        ).first()
        if payment:
            Payment.objects.filter(pk=payment.pk).update(stripe_checkout_session_id=session.id)
    return payment


def _payment_for_intent(intent) -> Payment | None:
    payment = Payment.objects.filter(stripe_payment_intent_id=intent.id).first()
    if payment is None:
        # Only a payment whose own purpose and reference the intent carries: a Stripe account
        # shared with another system must not reach into ours through a `payment_id` key.
        metadata = intent.to_dict().get("metadata") or {}
        payment = Payment.objects.filter(
            pk=_metadata_payment_id(intent),
            purpose=str(metadata.get("purpose", "")),
            reference=str(metadata.get("reference", "")),
            stripe_payment_intent_id__in=["", intent.id],
        ).first()
    return payment


def _metadata_payment_id(stripe_object) -> int | None:
    # Stripe's objects are not dicts (no .get()); to_dict() gives one.
    metadata = stripe_object.to_dict().get("metadata") or {}
    return identifiers.ascii_int(metadata.get("payment_id", ""))


def _record_refunds_made_at_stripe(payment_id: int, intent) -> str:
    """charge.refunded: our own refunds are already counted; what Stripe reports beyond
    them was refunded in Stripe's dashboard, and is recorded so the figures agree."""
    charge = intent.latest_charge
    refunded_at_stripe = int(charge["amount_refunded"]) if charge else 0
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    beyond_ours = min(refunded_at_stripe, payment.amount_pence) - payment.refunded_pence
    if beyond_ours <= 0 or payment.status not in PAID_STATES:
        return "refunds already recorded"
    refund_row = Refund.objects.create(
        payment=payment,
        amount_pence=beyond_ours,
        reason="Refunded in Stripe's dashboard.",
        key=f"stripe:{refunded_at_stripe}",
        idempotency_key=f"payment-{payment.pk}-stripe-refunded-{refunded_at_stripe}",
        status=Refund.Status.SUCCEEDED,
    )
    payment.refunded_pence += beyond_ours
    payment.status = _refunded_status(payment)
    payment.save(update_fields=["refunded_pence", "status", "updated_at"])
    _handler(payment.purpose).on_refunded(payment, refund_row)
    return f"recorded {pounds(beyond_ours)} refunded in Stripe"
