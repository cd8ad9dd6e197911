"""The people in a cohort: an `Enrolment` is a places-engine holding whose person is their
safe-contact plan (with or without an account: staff hold it for someone without one), so
one person cannot hold two cohorts at the same time; waiting entries go by the referral's
triage priority, then date. What they say (reasons, notes, assessments, check-in notes) is
encrypted; names and contact details live on the plan, encrypted there."""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from portal.crypto import EncryptedTextField
from portal.places import HoldingStatus, PlaceHolding
from programmes.models.cohorts import Cohort, ProgrammeSession
from programmes.models.pages import ProgrammePage
from referrals.models import AttemptChannel, AttemptOutcome

# The waiting list's order: high and medium risk first (referrals.dash levels), then date.
PRIORITY_OF_RISK = {"high": 2, "medium": 1, "standard": 0}


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Enrolment(PlaceHolding):
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="holdings")
    plan = models.ForeignKey(
        "portal.SafeContactPlan",
        on_delete=models.PROTECT,
        related_name="enrolments",
        help_text="The person (name, contact) and how they may be contacted.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programme_enrolments",
        help_text="Empty when staff hold the enrolment for them.",
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    priority = models.PositiveSmallIntegerField(default=0)
    joined_week = models.PositiveSmallIntegerField(
        default=1, help_text="The week they join (a rolling programme takes joiners any week)."
    )
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set when staff recorded the answer given by phone.
    answered_by_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    # The accept link's token, as a digest: single use (only an offer can be accepted).
    token_digest = models.CharField(max_length=64, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = EncryptedTextField(blank=True)
    notes = EncryptedTextField(blank=True)
    # Their invites' identity (with each session's pk) and its SEQUENCE, raised on every
    # change of their place; the UID says nothing about what it is.
    calendar_uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    sequence = models.PositiveIntegerField(default=0)
    # Set by the retention job: what they said is gone, the row stays to be counted.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    person_field = "plan"

    class Meta:
        ordering = ["requested_at", "pk"]
        indexes = [models.Index(fields=["cohort", "status"])]

    def __str__(self):
        return f"Enrolment #{self.pk}"

    @classmethod
    def waiting_priority(cls):
        return F("priority")

    def not_eligible_because(self) -> str | None:
        from programmes.services.enrolments import not_eligible_because

        return not_eligible_because(self.cohort, self.plan_id)

    def on_places_changed(self, previous: str) -> None:
        from programmes.services import notices

        notices.place_changed(self, previous)

    @property
    def name(self) -> str:
        return self.plan.display_name

    @property
    def is_confirmed(self) -> bool:
        return self.status == HoldingStatus.CONFIRMED

    @property
    def is_offered(self) -> bool:
        return self.status == HoldingStatus.OFFERED

    @property
    def is_waiting(self) -> bool:
        return self.status == HoldingStatus.WAITING

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class Assessment(models.Model):
    """The interview a closed programme asks for before a place is given."""

    programme = models.ForeignKey(ProgrammePage, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(
        "portal.SafeContactPlan", on_delete=models.PROTECT, related_name="programme_assessments"
    )
    suitable = models.BooleanField()
    notes = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self):
        return f"Assessment #{self.pk}"


class Apology(models.Model):
    """A participant will miss a week and said so beforehand."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="apologies")
    session = models.ForeignKey(ProgrammeSession, on_delete=models.CASCADE, related_name="+")
    reason = EncryptedTextField(blank=True)
    sent_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["session__starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "session"], name="one_apology_per_week")
        ]

    def __str__(self):
        return f"Apology #{self.pk}"


class CheckIn(models.Model):
    """A safe call to someone who missed a week without apologies, due at the next safe
    window of their plan; done once someone spoke to them (or no longer needed)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="check_ins")
    session = models.ForeignKey(ProgrammeSession, on_delete=models.CASCADE, related_name="+")
    due_at = models.DateTimeField(null=True, help_text="Empty: no safe way to contact them.")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "session"], name="one_check_in_per_week")
        ]
        indexes = [
            models.Index(
                fields=["due_at"], condition=Q(closed_at__isnull=True), name="open_check_ins"
            )
        ]

    def __str__(self):
        return f"Check-in #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CheckInAttempt(models.Model):
    """One try at a check-in, logged as triage logs contact attempts (the same channels and
    outcomes, referrals.models)."""

    check_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="attempts")
    channel = models.CharField(max_length=20, choices=AttemptChannel.choices)
    outcome = models.CharField(max_length=20, choices=AttemptOutcome.choices)
    at = models.DateTimeField(default=timezone.now)
    inside_safe_window = models.BooleanField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"Check-in attempt #{self.pk}"
