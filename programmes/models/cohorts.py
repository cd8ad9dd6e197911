"""A cohort (one run of a programme: a places-engine offering) and its weekly sessions.

The venue is encrypted and shown only to enrolled participants who chose to be told it and
to the cohort's staff: never on a public page, in a feed or a discreet invite otherwise.
`starts_at` and `ends_at` span the cohort's sessions (kept by the services), so the places
engine can refuse one person two cohorts at the same time.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from portal.crypto import EncryptedTextField
from portal.places import PlaceOffering
from programmes.models.pages import ProgrammePage

# How long a place offered to someone waits for their answer (they may be safe to read it
# only on some days).
OFFER_DAYS = 7


class CohortStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class Cohort(PlaceOffering):
    programme = models.ForeignKey(ProgrammePage, on_delete=models.PROTECT, related_name="cohorts")
    locality = models.ForeignKey(
        "portal.Locality",
        on_delete=models.PROTECT,
        related_name="cohorts",
        help_text="Where it runs (Online for an online group); who coordinates it.",
    )
    venue = EncryptedTextField(blank=True, help_text="Name and address; empty when online.")
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_cohorts"
    )
    start_date = models.DateField(help_text="The first week; the weekday of every session.")
    start_time = models.TimeField()
    weeks = models.PositiveSmallIntegerField()
    creche_places = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=CohortStatus.choices, default=CohortStatus.SCHEDULED
    )
    starts_at = models.DateTimeField(null=True, editable=False)
    ends_at = models.DateTimeField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    span_fields = ("starts_at", "ends_at")

    class Meta:
        ordering = ["start_date", "pk"]
        permissions = [
            ("coordinate_programmes", "Can run cohorts, offer places and follow up"),
            ("facilitate_programmes", "Can see their cohorts and take their registers"),
            (
                "report_programme_enrolments",
                "Can see the report: programme enrolments, attendance and completion",
            ),
            ("report_programme_withdrawals", "Can see the report: programme withdrawals"),
            (
                "report_programme_waiting_lists",
                "Can see the report: programme waiting lists by locality",
            ),
            (
                "report_programme_days_to_a_place",
                "Can see the report: days from referral to a programme place",
            ),
        ]

    def __str__(self):
        # No venue: this names the cohort in logs and Wagtail's action log.
        return f"{self.programme.title}, {self.locality.name}, from {self.start_date:%-d %b %Y}"

    def offer_window(self) -> timedelta:
        return timedelta(days=OFFER_DAYS)

    @property
    def online(self) -> bool:
        return self.locality.is_online

    @property
    def is_cancelled(self) -> bool:
        return self.status == CohortStatus.CANCELLED

    def first_week_over(self, now=None) -> bool:
        """A closed programme takes no one once its first session has ended."""
        first = self.sessions.filter(cancelled=False).order_by("starts_at").first()
        return first is not None and first.ends_at <= (now or timezone.now())


class ProgrammeSession(models.Model):
    """One week of a cohort: moved or cancelled one by one (participants told discreetly)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    week = models.PositiveSmallIntegerField()
    topic = models.CharField(max_length=120, blank=True, help_text="For a rolling programme.")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    cancelled = models.BooleanField(default=False)
    # Raised on every change, for calendar updates (UID per participant and session).
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "week"], name="programme_session_week"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="programme_session_ends_after"
            ),
        ]

    def __str__(self):
        return f"Week {self.week}, {timezone.localtime(self.starts_at):%-d %b %Y}"

    @property
    def is_past(self) -> bool:
        return self.starts_at <= timezone.now()
