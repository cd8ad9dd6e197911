"""Delivering outbox messages: claim, read the plan again, send, record (see `deliver`)."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from portal import sms
from portal.models import OutboxMessage, SafeContactPlan
from portal.notify.rendering import (
    NEUTRAL_SMS_TEMPLATE,
    NEUTRAL_TEMPLATE,
    Attachment,
    _discreet_attachments,
    _render_pair,
    _safe_time,
)

# The package's logger, as before the split (log filters and tests name it).
logger = logging.getLogger("portal.notify")

MAX_ATTEMPTS = 5
# How long a claimed message is left to the worker sending it before another may try: well
# past the mail server's timeout (EMAIL_TIMEOUT) and django-q2's task timeout.
CLAIM_LEASE = timedelta(minutes=10)
Channel = OutboxMessage.Channel
Status = OutboxMessage.Status


def deliver(message_id: int) -> str:
    """Send one outbox message if it is due and nobody else is sending it; safe to call any
    number of times, from any number of workers, on SQLite and PostgreSQL alike.

    Three steps, none of them holding a lock while the mail server is talked to:
    1. claim: one UPDATE that succeeds only while the message is pending, due (its safe
       window open: `not_before`) and unclaimed (or its claim's lease has run out), so
       exactly one caller wins; it commits at once (autocommit), so no row lock outlives it;
    2. read the plan again (now unsafe: suppressed; outside its safe times: put back until
       the next window), then send, outside any transaction;
    3. record the outcome, only if the claim is still ours.
    A worker that dies between 1 and 3 leaves the message claimed: it is tried again once
    the lease runs out (the one case where a message can go twice: we cannot know whether
    the mail server took it). Call it outside a transaction (it is queued on commit)."""
    claim = _claim(message_id)
    if claim is None:
        return "skipped"
    message = OutboxMessage.objects.select_related("plan").get(pk=message_id)
    held = _held_by_plan(message, claim)
    if held is not None:
        return held
    try:
        if message.channel == Channel.SMS:
            sms.send(message.recipient, message.body)
        else:
            _send_email(message)
    except Exception as exc:  # noqa: BLE001 - any transport failure is retried
        # The error class only: exception text from mail servers can echo the address.
        error = type(exc).__name__
        last = message.attempts >= MAX_ATTEMPTS
        retry_at = timezone.now() + timedelta(minutes=2**message.attempts)
        if message.plan is not None and not last:
            retry_at = _safe_time([message.plan], retry_at) or retry_at
        outcome = {
            "status": Status.FAILED if last else Status.PENDING,
            "next_attempt_at": None if last else retry_at,
            "last_error": error,
        }
        logger.warning("%s: attempt %s failed (%s)", message, message.attempts, error)
    else:
        outcome = {
            "status": Status.SENT,
            "sent_at": timezone.now(),
            "next_attempt_at": None,
            "last_error": "",
        }
    recorded = OutboxMessage.objects.filter(pk=message_id, claim=claim).update(
        claim="", claimed_until=None, **outcome
    )
    if not recorded:
        # Our lease ran out while sending and another worker has claimed the message.
        logger.warning("%s: its claim lapsed before the outcome was recorded", message)
    return outcome["status"]


def _held_by_plan(message: OutboxMessage, claim: str) -> str | None:
    """What the plan, read again now, says instead of sending: "suppressed" when the channel
    is no longer safe, "waiting" (claim released, the attempt not counted) when it is outside
    the safe times; None to send. A message that has become discreet is rewritten first."""
    plan = message.plan
    if plan is None:
        return None
    mine = OutboxMessage.objects.filter(pk=message.pk, claim=claim)
    safe = plan.text_is_safe if message.channel == Channel.SMS else plan.email_is_safe
    if not safe:
        mine.update(
            status=Status.SUPPRESSED,
            claim="",
            claimed_until=None,
            next_attempt_at=None,
            recipient="",
            subject="",
            body="",
            html_body="",
            attachments="",
        )
        return Status.SUPPRESSED
    now = timezone.now()
    opens = _safe_time([plan], now)
    if opens is not None and opens > now:
        mine.update(
            claim="",
            claimed_until=None,
            not_before=opens,
            next_attempt_at=opens,
            attempts=F("attempts") - 1,
        )
        return "waiting"
    if plan.discreet and not message.discreet:
        _make_discreet(message, plan)
    return None


def _make_discreet(message: OutboxMessage, plan: SafeContactPlan) -> None:
    """A message written before its recipient asked for discretion: the neutral message."""
    context = {"recipient_name": plan.display_name, "discreet": True, "site_url": settings.SITE_URL}
    if message.channel == Channel.SMS:
        message.body = render_to_string(f"{NEUTRAL_SMS_TEMPLATE}.txt", context).strip()
        message.html_body = ""
    else:
        message.body, message.html_body = _render_pair(NEUTRAL_TEMPLATE, context)
        message.sender = settings.DISCREET_FROM_EMAIL
        message.subject = settings.DISCREET_SUBJECT
    attachments = [Attachment(**a) for a in json.loads(message.attachments or "[]")]
    kept = _discreet_attachments(attachments, keep_location=plan.location_in_calendar)
    message.attachments = json.dumps([a.__dict__ for a in kept]) if kept else ""
    message.discreet = True
    message.save(
        update_fields=["body", "html_body", "sender", "subject", "attachments", "discreet"]
    )


def _claim(message_id: int) -> str | None:
    """The claim token if this caller now holds the message, else None (compare-and-set)."""
    now = timezone.now()
    claim = uuid.uuid4().hex
    won = (
        OutboxMessage.objects.filter(
            pk=message_id,
            status=Status.PENDING,
            next_attempt_at__lte=now,
            attempts__lt=MAX_ATTEMPTS,
        )
        .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
        .update(claim=claim, claimed_until=now + CLAIM_LEASE, attempts=F("attempts") + 1)
    )
    return claim if won == 1 else None


def _send_email(message: OutboxMessage) -> None:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        from_email=message.sender,
        to=[message.recipient],
    )
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    for attachment in json.loads(message.attachments or "[]"):
        email.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    email.send(fail_silently=False)


def send_due() -> int:
    """Scheduled every minute: deliver pending messages whose time has come (retries,
    messages whose task was lost because the worker was down, claims whose worker died)."""
    now = timezone.now()
    unclaimed = Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    # A worker died while making the last attempt: give up, as after a failed last attempt.
    OutboxMessage.objects.filter(
        unclaimed, status=Status.PENDING, attempts__gte=MAX_ATTEMPTS
    ).update(
        status=Status.FAILED,
        claim="",
        claimed_until=None,
        next_attempt_at=None,
        last_error="ClaimLapsed",
    )
    due = (
        OutboxMessage.objects.filter(unclaimed, status=Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)
    )
    sent = 0
    for pk in list(due[:200]):
        sent += deliver(pk) == Status.SENT
    return sent
