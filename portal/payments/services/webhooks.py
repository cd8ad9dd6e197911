"""Stripe's webhooks: verified by signature, acted on once per event id, and only after
what they name has been retrieved from Stripe."""

from __future__ import annotations

import json
import logging
import re
import time
from typing import Any

import stripe
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal import identifiers
from portal.money import pounds
from portal.payments import stripe_api
from portal.payments.models import Payment, Refund, StripeEvent
from portal.payments.services.base import PAID_STATES, InvalidWebhook, handler_for, stripe_error
from portal.payments.services.checkout import apply_session
from portal.payments.services.refunds import refunded_status

logger = logging.getLogger(__name__)

WEBHOOK_TOLERANCE_SECONDS = 300
# How far ahead of our clock a signature's time may be (clock skew), and no further.
WEBHOOK_SKEW_SECONDS = 30
# What Stripe's ids and event types look like: anything else is not an event of Stripe's.
STRIPE_ID = re.compile(r"[A-Za-z0-9_]{1,255}")
EVENT_ID = STRIPE_ID
EVENT_TYPE = re.compile(r"[a-z0-9_.]{1,100}")
HANDLED_EVENTS = {
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.expired",
    "checkout.session.async_payment_failed",
    "payment_intent.payment_failed",
    "charge.refunded",
}


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
            return apply_session(payment.pk, session, failed=failed)[1]
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
            outcome = apply_session(payment.pk, session)[1]
            if event_type == "payment_intent.payment_failed":
                return outcome
        if event_type == "charge.refunded":
            return _record_refunds_made_at_stripe(payment.pk, intent)
        return "nothing to do"
    except stripe.StripeError as exc:
        raise stripe_error(exc, f"retrieval for {event_type}") from exc


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
    payment.status = refunded_status(payment)
    payment.save(update_fields=["refunded_pence", "status", "updated_at"])
    handler_for(payment.purpose).on_refunded(payment, refund_row)
    return f"recorded {pounds(beyond_ours)} refunded in Stripe"
