"""References by emailed link: an unguessable single-use token, reminders, then failed.

The link's token is random (`secrets.token_urlsafe`); the reference row keeps it encrypted
(so a reminder repeats the same link) and its SHA-256 to find it by. Answering clears both:
the link is used once. After VOLUNTEER_REFERENCE_FAIL_DAYS without an answer the reference
is marked failed and its link stops working; reminders go at each of
VOLUNTEER_REFERENCE_REMINDER_DAYS (the daily job `chase_references`)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portal import notify
from volunteers.models import Application, Reference, Stage

ANSWER_FIELDS = ("known_for", "suitability", "concerns", "recommends")


class ReferenceLinkError(Exception):
    """A link that cannot be used: `status` 404 for one we never made, 410 for one used or
    expired; the message is fit to show."""

    def __init__(self, message: str, status: int = 404):
        super().__init__(message)
        self.status = status


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_for(reference: Reference) -> str:
    return settings.SITE_URL + reverse("volunteers:reference", args=[reference.token])


def expires_at(reference: Reference) -> datetime:
    return reference.requested_at + timedelta(days=settings.VOLUNTEER_REFERENCE_FAIL_DAYS)


def _send(reference: Reference, *, reminder: bool) -> None:
    applicant = reference.application.user
    notify.send(
        notify.Recipient(email=reference.email, name=reference.name),
        notify.Message(
            kind="volunteers.reference_reminder" if reminder else "volunteers.reference_request",
            template="volunteers/emails/reference_request",
            subject=("Reminder: " if reminder else "")
            + f"A reference for {applicant.get_full_name()}, who would like to volunteer with us",
            context={
                "reference": reference,
                "applicant_name": applicant.get_full_name(),
                "link": link_for(reference),
                "expires_at": expires_at(reference),
                "reminder": reminder,
            },
            concerns=reference.application,
        ),
    )


def request_references(application: Application) -> None:
    """Email each referee who has not answered a fresh link."""
    now = timezone.now()
    for reference in application.references.exclude(status=Reference.Status.RECEIVED):
        reference.token = secrets.token_urlsafe(32)
        reference.token_digest = digest(reference.token)
        reference.status = Reference.Status.REQUESTED
        reference.requested_at = now
        reference.reminders_sent = 0
        reference.save()
        _send(reference, reminder=False)


def reference_for_token(token: str) -> Reference:
    """The reference this link asks for, if it can still be answered."""
    reference = (
        Reference.objects.select_related("application__user")
        .filter(token_digest=digest(token))
        .first()
        if token
        else None
    )
    if reference is None or reference.application.stage == Stage.WITHDRAWN:
        # Never made, already used (the token is cleared), or no longer wanted: the same
        # answer, so a guess learns nothing.
        raise ReferenceLinkError("This link is not valid. It may have been used already.", 404)
    if reference.status != Reference.Status.REQUESTED or timezone.now() > expires_at(reference):
        raise ReferenceLinkError(
            "This link has expired. Please contact us if you would still like to give the "
            "reference.",
            410,
        )
    return reference


def answer_reference(token: str, answers: dict) -> Reference:
    from volunteers.services.pipeline import complete_by_evidence

    with transaction.atomic():
        found = reference_for_token(token)
        reference = Reference.objects.select_for_update().get(pk=found.pk)
        if reference.token_digest != digest(token):  # answered meanwhile
            raise ReferenceLinkError("This link is not valid. It may have been used already.")
        for name in ANSWER_FIELDS:
            setattr(reference, name, answers[name])
        reference.status = Reference.Status.RECEIVED
        reference.received_at = timezone.now()
        reference.token = reference.token_digest = ""
        reference.save()
        complete_by_evidence(reference.application)
    return reference


def chase_references(now: datetime | None = None) -> int:
    """Daily: remind referees at each reminder day, mark failed after the last day.
    Returns how many references changed."""
    now = now or timezone.now()
    changed = 0
    reminder_days = settings.VOLUNTEER_REFERENCE_REMINDER_DAYS
    for reference in Reference.objects.filter(status=Reference.Status.REQUESTED).select_related(
        "application__user"
    ):
        age = now - reference.requested_at
        with transaction.atomic():
            if age >= timedelta(days=settings.VOLUNTEER_REFERENCE_FAIL_DAYS):
                reference.status = Reference.Status.FAILED
                reference.token = reference.token_digest = ""
                reference.save(update_fields=["status", "token", "token_digest"])
                changed += 1
            elif reference.reminders_sent < len(reminder_days) and age >= timedelta(
                days=reminder_days[reference.reminders_sent]
            ):
                # However late the job runs, one reminder per run (never two at once).
                reference.reminders_sent = sum(age >= timedelta(days=d) for d in reminder_days)
                reference.save(update_fields=["reminders_sent"])
                _send(reference, reminder=True)
                changed += 1
    return changed
