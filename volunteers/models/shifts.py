"""Volunteer shifts: a `Shift` is a places-engine offering (its span is its start and end),
a `ShiftSignup` a holding whose person is the volunteer's application, so one volunteer
cannot hold two shifts (or a shift and anything else in the overlap rule) at once.

Sign-up is instant (confirmed at once) or needs a coordinator's approval: then the request
holds its place (the engine's ``held``) until approved (`confirm_held`) or refused, and
lapses unapproved when the shift starts. Freed places are offered to the waiting list for
`OFFER_HOURS` (or until the shift starts, if sooner)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from portal.crypto import EncryptedTextField
from portal.places import HoldingStatus, PlaceHolding, PlaceOffering

OFFER_HOURS = 24


class SignUpMode(models.TextChoices):
    INSTANT = "instant", "Instant: a place is confirmed at once"
    APPROVAL = "approval", "A coordinator approves each request"


class Shift(PlaceOffering):
    role = models.ForeignKey(
        "volunteers.VolunteerRolePage", on_delete=models.PROTECT, related_name="shifts"
    )
    locality = models.ForeignKey(
        "portal.Locality",
        on_delete=models.PROTECT,
        related_name="shifts",
        help_text="Where it is; who coordinates it.",
    )
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    # Encrypted: a venue may be a place survivors must not be traced to.
    venue = EncryptedTextField(blank=True, help_text="Told to the volunteers on it only.")
    sign_up = models.CharField(max_length=10, choices=SignUpMode.choices)
    sign_up_closes_at = models.DateTimeField(help_text="No sign-ups after this.")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Raised on every change of time or place, for calendar updates.
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    span_fields = ("starts_at", "ends_at")

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="shift_ends_after"
            ),
            models.CheckConstraint(
                condition=Q(sign_up_closes_at__lte=F("starts_at")),
                name="shift_sign_up_closes_before_start",
            ),
        ]

    def __str__(self):
        # No venue: this names the shift in logs and Wagtail's action log.
        start = timezone.localtime(self.starts_at)
        return f"{self.role.title}, {self.locality.name}, {start:%-d %b %Y %H:%M}"

    def offer_window(self) -> timedelta:
        return max(min(timedelta(hours=OFFER_HOURS), self.starts_at - timezone.now()), timedelta(0))

    @property
    def needs_approval(self) -> bool:
        return self.sign_up == SignUpMode.APPROVAL

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def sign_up_open(self, now=None) -> bool:
        return not self.is_cancelled and (now or timezone.now()) < self.sign_up_closes_at

    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


class ShiftSignup(PlaceHolding):
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="holdings")
    application = models.ForeignKey(
        "volunteers.Application", on_delete=models.PROTECT, related_name="shift_signups"
    )
    # The coordinator who filled the place by hand or approved the request.
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # Their invite's identity and SEQUENCE (with the shift's); the UID says nothing.
    calendar_uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    sequence = models.PositiveIntegerField(default=0)

    person_field = "application"

    class Meta:
        ordering = ["requested_at", "pk"]
        indexes = [models.Index(fields=["shift", "status"])]

    def __str__(self):
        return f"Shift sign-up #{self.pk}"

    def not_eligible_because(self) -> str | None:
        from volunteers.services.shifts import not_eligible_because

        return not_eligible_because(self.application, self.shift)

    def on_places_changed(self, previous: str) -> None:
        from volunteers.services import shift_notices

        shift_notices.place_changed(self, previous)

    @property
    def is_confirmed(self) -> bool:
        return self.status == HoldingStatus.CONFIRMED

    @property
    def awaits_approval(self) -> bool:
        return self.status == HoldingStatus.HELD

    @property
    def is_offered(self) -> bool:
        return self.status == HoldingStatus.OFFERED

    @property
    def is_waiting(self) -> bool:
        return self.status == HoldingStatus.WAITING
