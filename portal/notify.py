"""The one way to tell a person something.

Every message is first written to the outbox (`OutboxMessage`), inside the caller's
transaction; a django-q2 task delivers it once that transaction commits, and a scheduled
sweep retries what failed with a growing delay. Whoever delivers first claims the message
(a compare-and-set with a lease, see `deliver`), so however often a task runs, or a sweep
overlaps it, a message is sent once. Bodies, subjects and addresses are stored encrypted
and never logged.

A person's safe-contact preferences are law here: a channel they marked unsafe is never
used, and discreet mode replaces the sender and subject with neutral ones and uses the
discreet version of the message.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass, field, replace
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone
from django_q.tasks import async_task

from portal.models import OutboxMessage

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

    @classmethod
    def for_user(cls, user) -> Recipient:
        return cls(
            email=user.email,
            phone=user.phone,
            name=user.get_full_name(),
            email_is_safe=user.email_is_safe,
            sms_is_safe=user.sms_is_safe,
            discreet=user.discreet_mode,
        )

    def usable_channel(self) -> str | None:
        """The first channel that is both safe for this person and one we can send on."""
        if self.email and self.email_is_safe:
            return Channel.EMAIL
        # Text messages come with an SMS provider; until then a phone alone cannot be used.
        return None


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


# What a discreet recipient gets when a message has no discreet version of its own: nothing
# about what it concerns, rather than the full message under a neutral subject.
NEUTRAL_TEMPLATE = "portal/emails/neutral"


def _render(template: str, context: dict, discreet: bool) -> tuple[str, str]:
    if discreet:
        try:
            return _render_pair(f"{template}.discreet", context)
        except TemplateDoesNotExist:
            return _render_pair(NEUTRAL_TEMPLATE, context)
    return _render_pair(template, context)


def _render_pair(name: str, context: dict) -> tuple[str, str]:
    text = render_to_string(f"{name}.txt", context)
    try:
        html = render_to_string(f"{name}.html", context)
    except TemplateDoesNotExist:
        html = ""
    return text, html


def with_address_owners_preferences(recipient: Recipient) -> Recipient:
    """The recipient as the people who own its email address want to be contacted.

    Places are booked and payments made for addresses without an account, and a caller may
    know a person only by their address: whoever has that address verified on an account
    still decides. Email unsafe for any owner means no email; discreet for any owner means
    discreet.
    """
    if not recipient.email:
        return recipient
    from portal.accounts.models import User

    address = recipient.email.strip()
    # Only a verified address is someone's: an account opened in another person's name must
    # not silence or alter what that person is sent.
    owners = list(
        User.objects.filter(emailaddress__email__iexact=address, emailaddress__verified=True)
        .values_list("email_is_safe", "discreet_mode")
        .distinct()
    )
    if not owners:
        return recipient
    return replace(
        recipient,
        email_is_safe=recipient.email_is_safe and all(safe for safe, _ in owners),
        discreet=recipient.discreet or any(discreet for _, discreet in owners),
    )


def send(recipient: Recipient, message: Message) -> OutboxMessage:
    """Write the message to the outbox and deliver it after the current transaction commits."""
    recipient = with_address_owners_preferences(recipient)
    context = {
        "recipient_name": recipient.name,
        "discreet": recipient.discreet,
        "service_name": settings.SERVICE_NAME,
        "site_url": settings.SITE_URL,
        **message.context,
    }
    text, html = _render(message.template, context, recipient.discreet)
    return _write(
        recipient,
        kind=message.kind,
        subject=message.subject,
        text=text,
        html=html,
        attachments=message.attachments,
    )


def send_rendered(
    recipient: Recipient,
    *,
    kind: str,
    subject: str,
    text: str,
    html: str = "",
    attachments: list[Attachment] | None = None,
) -> OutboxMessage:
    """As `send`, for a message already written (such as allauth's account emails). The
    caller must have written a discreet text already where the recipient is discreet; where
    only the address's owner asks for discreet messages, the neutral message is sent instead."""
    owned = with_address_owners_preferences(recipient)
    if owned.discreet and not recipient.discreet:
        text, html = _render_pair(
            NEUTRAL_TEMPLATE,
            {"recipient_name": owned.name, "discreet": True, "site_url": settings.SITE_URL},
        )
    return _write(owned, kind=kind, subject=subject, text=text, html=html, attachments=attachments)


def _write(
    recipient: Recipient,
    *,
    kind: str,
    subject: str,
    text: str,
    html: str = "",
    attachments: list[Attachment] | None = None,
) -> OutboxMessage:
    channel = recipient.usable_channel()
    discreet = recipient.discreet
    if channel is None:
        return OutboxMessage.objects.create(
            kind=kind,
            channel=Channel.EMAIL,
            recipient="",
            sender="",
            discreet=discreet,
            status=Status.SUPPRESSED,
        )
    if discreet:
        attachments = _discreet_attachments(attachments or [])
    outbox = OutboxMessage.objects.create(
        kind=kind,
        channel=channel,
        recipient=recipient.email,
        sender=settings.DISCREET_FROM_EMAIL if discreet else settings.DEFAULT_FROM_EMAIL,
        subject=settings.DISCREET_SUBJECT if discreet else subject,
        body=text,
        html_body=html,
        attachments=json.dumps([a.__dict__ for a in attachments]) if attachments else "",
        discreet=discreet,
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: async_task("portal.notify.deliver", outbox.pk))
    return outbox


def _discreet_attachments(attachments: list[Attachment]) -> list[Attachment]:
    """Calendar files made discreet (neutral title, no description, link or organiser);
    anything else, which could say what the message is about, left out."""
    from portal.calendars import make_discreet

    kept = []
    for attachment in attachments:
        if attachment.mimetype.startswith("text/calendar"):
            content = make_discreet(attachment.content)
            if content is not None:
                kept.append(replace(attachment, content=content))
    return kept


def deliver(message_id: int) -> str:
    """Send one outbox message if it is due and nobody else is sending it; safe to call any
    number of times, from any number of workers, on SQLite and PostgreSQL alike.

    Three steps, none of them holding a lock while the mail server is talked to:
    1. claim: one UPDATE that succeeds only while the message is pending, due and unclaimed
       (or its claim's lease has run out), so exactly one caller wins;
    2. send, outside any transaction;
    3. record the outcome, only if the claim is still ours.
    A worker that dies between 1 and 3 leaves the message claimed: it is tried again once
    the lease runs out (the one case where a message can go twice: we cannot know whether
    the mail server took it). Call it outside a transaction (it is queued on commit)."""
    claim = _claim(message_id)
    if claim is None:
        return "skipped"
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        _send_email(message)
    except Exception as exc:  # noqa: BLE001 - any transport failure is retried
        # The error class only: exception text from mail servers can echo the address.
        error = type(exc).__name__
        last = message.attempts >= MAX_ATTEMPTS
        outcome = {
            "status": Status.FAILED if last else Status.PENDING,
            "next_attempt_at": None
            if last
            else timezone.now() + timedelta(minutes=2**message.attempts),
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
