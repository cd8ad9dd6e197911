"""The one way to tell a person something.

Every message is first written to the outbox (`OutboxMessage`), inside the caller's
transaction; a django-q2 task delivers it once that transaction commits, and a scheduled
sweep retries what failed with a growing delay. Whoever delivers first claims the message
(a compare-and-set with a lease, see `deliver`), so however often a task runs, or a sweep
overlaps it, a message is sent once. Bodies, subjects and addresses are stored encrypted
and never logged.

A person's safe-contact plan (`portal.contact`) is law here. `send` takes a `Recipient`, a
`User` or a `SafeContactPlan`; every plan that owns the address (the person's own, an
account with the address verified, a plan without an account holding the address or number)
applies:
- a channel not marked safe is never used: email first, then a text message when an SMS
  provider is configured (`portal.sms`); no safe channel means the message is suppressed;
- a message written outside the safe days and times waits: its row's `not_before` is the
  start of the next safe window, and neither the first attempt nor a retry goes before a
  window opens; just before sending, the plan is read again (made unsafe since: suppressed;
  made discreet since: the neutral message goes instead);
- the service may not be named: discreet mode, a neutral sender and subject, the message's
  discreet version (or the neutral message), calendar invites with a neutral title and no
  place unless the person chose to be told it.
An outbox row links to what it concerns (`Message.concerns`): `erase_for(obj)` deletes them.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone
from django_q.tasks import async_task

from portal import sms
from portal.contact.windows import common_safe_time
from portal.models import OutboxMessage, SafeContactPlan

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# How long a claimed message is left to the worker sending it before another may try: well
# past the mail server's timeout (EMAIL_TIMEOUT) and django-q2's task timeout.
CLAIM_LEASE = timedelta(minutes=10)
Channel = OutboxMessage.Channel
Status = OutboxMessage.Status


@dataclass(frozen=True)
class Recipient:
    """Where and how a person may be contacted."""

    email: str = ""
    phone: str = ""
    name: str = ""
    email_is_safe: bool = True
    sms_is_safe: bool = True
    discreet: bool = False
    # Whether a discreet calendar invite may still give the place.
    location_when_discreet: bool = False
    # The safe-contact plans that apply; their safe days and times decide when.
    plans: tuple = ()

    @classmethod
    def for_user(cls, user) -> Recipient:
        from portal.contact.selectors import plan_of

        plan = plan_of(user)
        if plan is not None:
            return cls.for_plan(plan)
        return cls(email=user.email, phone=user.phone, name=user.get_full_name())

    @classmethod
    def for_plan(cls, plan: SafeContactPlan) -> Recipient:
        return cls(
            email=plan.contact_email,
            phone=plan.contact_phone,
            name=plan.display_name,
            email_is_safe=plan.email_is_safe,
            sms_is_safe=plan.text_is_safe,
            discreet=plan.discreet,
            location_when_discreet=plan.location_in_calendar,
            plans=(plan,),
        )

    def usable_channel(self) -> str | None:
        """The first channel that is both safe for this person and one we can send on."""
        if self.email and self.email_is_safe:
            return Channel.EMAIL
        if self.phone and self.sms_is_safe and sms.provider_configured():
            return Channel.SMS
        return None


def as_recipient(who) -> Recipient:
    """A `Recipient` from a Recipient, a SafeContactPlan or a User."""
    if isinstance(who, Recipient):
        return who
    if isinstance(who, SafeContactPlan):
        return Recipient.for_plan(who)
    return Recipient.for_user(who)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: str
    mimetype: str = "application/octet-stream"


@dataclass
class Message:
    """What to say, before the recipient's preferences shape how it is said."""

    kind: str
    template: str  # e.g. "courses/emails/booking_confirmed": .txt required, .html optional
    subject: str
    context: dict = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)
    # What the message is about (a booking, a referral): erase_for(that) deletes it.
    concerns: models.Model | None = None


# What a discreet recipient gets when a message has no discreet version of its own: nothing
# about what it concerns, rather than the full message under a neutral subject.
NEUTRAL_TEMPLATE = "portal/emails/neutral"
# A text message: `<template>.sms.txt` (`<template>.discreet.sms.txt` when discreet) where the
# message has one, otherwise this, which says only that there is something to read.
NEUTRAL_SMS_TEMPLATE = "portal/sms/neutral"


def _render(template: str, context: dict, discreet: bool) -> tuple[str, str]:
    if discreet:
        try:
            return _render_pair(f"{template}.discreet", context)
        except TemplateDoesNotExist:
            return _render_pair(NEUTRAL_TEMPLATE, context)
    return _render_pair(template, context)


def _render_sms(template: str, context: dict, discreet: bool) -> str:
    name = f"{template}.discreet.sms" if discreet else f"{template}.sms"
    try:
        return render_to_string(f"{name}.txt", context).strip()
    except TemplateDoesNotExist:
        return render_to_string(f"{NEUTRAL_SMS_TEMPLATE}.txt", context).strip()


def _render_pair(name: str, context: dict) -> tuple[str, str]:
    text = render_to_string(f"{name}.txt", context)
    try:
        html = render_to_string(f"{name}.html", context)
    except TemplateDoesNotExist:
        html = ""
    return text, html


def with_address_owners_preferences(recipient: Recipient) -> Recipient:
    """The recipient as every plan that owns its address or number wants them contacted.

    Places are booked and payments made for addresses without an account, and a caller may
    know a person only by their address: whoever has that address verified on an account,
    and a plan staff keep for someone without one, still decides. A channel unsafe for any
    owner is not used; discreet for any owner means discreet; their safe times all apply.
    Only a verified address is someone's: an account opened in another person's name must
    not silence or alter what that person is sent.
    """
    if not recipient.email and not recipient.phone:
        return recipient
    from portal.contact.selectors import plans_for_address

    known = {plan.pk for plan in recipient.plans}
    owners = [
        plan
        for plan in plans_for_address(email=recipient.email, phone=recipient.phone)
        if plan.pk not in known
    ]
    if not owners:
        return recipient
    return replace(
        recipient,
        email_is_safe=recipient.email_is_safe and all(p.email_is_safe for p in owners),
        sms_is_safe=recipient.sms_is_safe and all(p.text_is_safe for p in owners),
        discreet=recipient.discreet or any(p.discreet for p in owners),
        location_when_discreet=recipient.location_when_discreet
        and all(p.location_in_calendar for p in owners),
        plans=(*recipient.plans, *owners),
    )


def send(who, message: Message) -> OutboxMessage:
    """Write the message to the outbox and deliver it after the current transaction commits.
    `who` is a Recipient, a User or a SafeContactPlan."""
    recipient = with_address_owners_preferences(as_recipient(who))
    channel = recipient.usable_channel()
    text = html = ""
    attachments = message.attachments
    if channel is not None:
        context = {
            "recipient_name": recipient.name,
            "discreet": recipient.discreet,
            "service_name": settings.SERVICE_NAME,
            "site_url": settings.SITE_URL,
            **message.context,
        }
        if channel == Channel.SMS:
            text, attachments = _render_sms(message.template, context, recipient.discreet), []
        else:
            text, html = _render(message.template, context, recipient.discreet)
    return _write(
        recipient,
        channel,
        kind=message.kind,
        subject=message.subject,
        text=text,
        html=html,
        attachments=attachments,
        concerns=message.concerns,
    )


def send_rendered(
    who,
    *,
    kind: str,
    subject: str,
    text: str,
    html: str = "",
    attachments: list[Attachment] | None = None,
    concerns: models.Model | None = None,
) -> OutboxMessage:
    """As `send`, for an email already written (such as allauth's account emails): it goes
    by email or not at all. The caller must have written a discreet text already where the
    recipient is discreet; where only the address's owner asks for discreet messages, the
    neutral message is sent instead."""
    recipient = as_recipient(who)
    owned = with_address_owners_preferences(recipient)
    if owned.discreet and not recipient.discreet:
        text, html = _render_pair(
            NEUTRAL_TEMPLATE,
            {"recipient_name": owned.name, "discreet": True, "site_url": settings.SITE_URL},
        )
    channel = Channel.EMAIL if owned.usable_channel() == Channel.EMAIL else None
    return _write(
        owned,
        channel,
        kind=kind,
        subject=subject,
        text=text,
        html=html,
        attachments=attachments,
        concerns=concerns,
    )


def _concerning(obj: models.Model | None) -> dict:
    if obj is None:
        return {}
    return {
        "concerns_type": ContentType.objects.get_for_model(obj, for_concrete_model=False),
        "concerns_id": str(obj.pk),
    }


def _safe_time(plans, at: datetime) -> datetime | None:
    return common_safe_time([(p.safe_days, p.safe_windows) for p in plans], at)


def _write(
    recipient: Recipient,
    channel: str | None,
    *,
    kind: str,
    subject: str,
    text: str,
    html: str = "",
    attachments: list[Attachment] | None = None,
    concerns: models.Model | None = None,
) -> OutboxMessage:
    discreet = recipient.discreet
    now = timezone.now()
    # The saved plan to read again just before sending (an unsaved one cannot be).
    plan = next((p for p in recipient.plans if p.pk), None)
    not_before = _safe_time(recipient.plans, now) if channel else None
    if channel is None or not_before is None:
        # No safe channel, or plans whose safe times never meet: nothing is sent.
        return OutboxMessage.objects.create(
            kind=kind,
            channel=channel or Channel.EMAIL,
            recipient="",
            sender="",
            discreet=discreet,
            status=Status.SUPPRESSED,
            plan=plan,
            **_concerning(concerns),
        )
    if channel == Channel.SMS:
        address, sender, subject = recipient.phone, "", ""
    else:
        address = recipient.email
        sender = settings.DISCREET_FROM_EMAIL if discreet else settings.DEFAULT_FROM_EMAIL
        subject = settings.DISCREET_SUBJECT if discreet else subject
    if discreet:
        attachments = _discreet_attachments(
            attachments or [], keep_location=recipient.location_when_discreet
        )
    outbox = OutboxMessage.objects.create(
        kind=kind,
        channel=channel,
        recipient=address,
        sender=sender,
        subject=subject,
        body=text,
        html_body=html,
        attachments=json.dumps([a.__dict__ for a in attachments]) if attachments else "",
        discreet=discreet,
        next_attempt_at=not_before,
        not_before=not_before if not_before > now else None,
        plan=plan,
        **_concerning(concerns),
    )
    transaction.on_commit(lambda: async_task("portal.notify.deliver", outbox.pk))
    return outbox


def erase_for(obj: models.Model) -> int:
    """Delete every outbox message about `obj` (and, for a plan, every message written under
    it), whatever its status; returns how many. Call it when `obj` is erased."""
    rows = OutboxMessage.objects.filter(**_concerning(obj))
    if isinstance(obj, SafeContactPlan):
        rows = OutboxMessage.objects.filter(Q(pk__in=rows.values("pk")) | Q(plan=obj))
    deleted, _ = rows.delete()
    return deleted


def _discreet_attachments(
    attachments: list[Attachment], *, keep_location: bool = False
) -> list[Attachment]:
    """Calendar files made discreet (neutral title, no description, link or organiser, and
    no place unless the person chose to be told it); anything else, which could say what
    the message is about, left out."""
    from portal.calendars import make_discreet

    kept = []
    for attachment in attachments:
        if attachment.mimetype.startswith("text/calendar"):
            content = make_discreet(attachment.content, keep_location=keep_location)
            if content is not None:
                kept.append(replace(attachment, content=content))
    return kept


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
