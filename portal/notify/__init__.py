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
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django_q.tasks import async_task

from portal import sms
from portal.models import OutboxMessage, SafeContactPlan
from portal.notify.delivery import CLAIM_LEASE, MAX_ATTEMPTS, deliver, send_due
from portal.notify.rendering import (
    NEUTRAL_TEMPLATE,
    Attachment,
    _discreet_attachments,
    _render,
    _render_pair,
    _render_sms,
    _safe_time,
)

__all__ = [
    "CLAIM_LEASE",
    "MAX_ATTEMPTS",
    "Attachment",
    "Message",
    "Recipient",
    "as_recipient",
    "deliver",
    "erase_for",
    "send",
    "send_due",
    "send_rendered",
    "with_address_owners_preferences",
]

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
