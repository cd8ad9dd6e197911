"""Applications to volunteer and the onboarding pipeline, references, DBS records, notes.

Personal answers are encrypted (portal.crypto); equality monitoring is kept apart, in rows
that name no one (`EqualityMonitoring`), and only counted."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from portal.crypto import EncryptedEmailField, EncryptedTextField
from volunteers.models.pages import DBSLevel


class Stage(models.TextChoices):
    DRAFT = "draft", "Not sent yet"
    APPLIED = "applied", "Applied"
    SCREENING = "screening", "Screening call"
    INTERVIEW = "interview", "Interview"
    REFERENCES = "references", "References"
    DBS = "dbs", "DBS check"
    TRAINING = "training", "Training"
    AGREEMENT = "agreement", "Agreement signed"
    ACTIVE = "active", "Active"
    ON_HOLD = "on_hold", "On hold"
    NOT_PROGRESSED = "not_progressed", "Not progressed"
    WITHDRAWN = "withdrawn", "Withdrawn"
    STEPPED_DOWN = "stepped_down", "Stepped down"


# The pipeline, in order: each stage's successor is the next one.
PIPELINE = [
    Stage.APPLIED,
    Stage.SCREENING,
    Stage.INTERVIEW,
    Stage.REFERENCES,
    Stage.DBS,
    Stage.TRAINING,
    Stage.AGREEMENT,
    Stage.ACTIVE,
]
# Stages that complete by themselves when their evidence arrives (never moved on by hand).
EVIDENCE_STAGES = {Stage.REFERENCES, Stage.DBS, Stage.TRAINING, Stage.AGREEMENT}
# A closed record: the person may apply again, and retention anonymises it in time.
CLOSED = {Stage.NOT_PROGRESSED, Stage.WITHDRAWN, Stage.STEPPED_DOWN}
# Stages with a target number of days (VOLUNTEER_STAGE_TARGET_DAYS).
TIMED = [stage for stage in PIPELINE if stage != Stage.ACTIVE]


class Weekday(models.TextChoices):
    MON = "mon", "Monday"
    TUE = "tue", "Tuesday"
    WED = "wed", "Wednesday"
    THU = "thu", "Thursday"
    FRI = "fri", "Friday"
    SAT = "sat", "Saturday"
    SUN = "sun", "Sunday"


class DayPart(models.TextChoices):
    MORNING = "morning", "Morning"
    AFTERNOON = "afternoon", "Afternoon"
    EVENING = "evening", "Evening"


AVAILABILITY_CHOICES = [
    (f"{day}-{part}", f"{day_label} {part_label.lower()}")
    for day, day_label in Weekday.choices
    for part, part_label in DayPart.choices
]


class Application(models.Model):
    # None once anonymised (volunteers.services.retention): the row stays, to be counted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.CASCADE,
        related_name="volunteer_applications",
    )
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.DRAFT)
    stage_entered_at = models.DateTimeField(default=timezone.now)
    # The pipeline stage an application on hold returns to.
    held_from = models.CharField(max_length=16, choices=Stage.choices, blank=True)
    phone = EncryptedTextField(blank=True)
    postcode = EncryptedTextField(blank=True)
    localities = models.ManyToManyField(
        "portal.Locality", blank=True, related_name="volunteer_applications"
    )
    availability = models.JSONField(default=list, blank=True)
    roles = models.ManyToManyField(
        "volunteers.VolunteerRolePage", blank=True, related_name="applications"
    )
    experience = EncryptedTextField(blank=True)
    motivation = EncryptedTextField(blank=True)
    # Seen only by volunteer coordinators (volunteers.view_lived_experience); never a reason
    # given to the applicant.
    lived_experience = EncryptedTextField(blank=True)
    conflicts_of_interest = EncryptedTextField(blank=True)
    agrees_to_policies = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    equality_answered = models.BooleanField(default=False)
    agreement_signed_at = models.DateTimeField(null=True, blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    override_reason = EncryptedTextField(blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        permissions = [
            ("view_lived_experience", "Can see applicants' lived experience"),
            # One per report (volunteers.reports).
            ("report_applications_by_stage", "Can see the report: applications by stage"),
            ("report_days_to_active", "Can see the report: days from application to active"),
            (
                "report_active_volunteers",
                "Can see the report: active volunteers by locality and role",
            ),
            ("report_dbs_renewals", "Can see the report: DBS renewals due"),
            ("report_volunteer_equality", "Can see the report: equality monitoring answers"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=~Q(stage__in=["not_progressed", "withdrawn", "stepped_down"]),
                name="one_open_volunteer_application",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=Stage.values), name="volunteer_application_stage_known"
            ),
        ]
        indexes = [models.Index(fields=["stage", "stage_entered_at"])]

    def __str__(self) -> str:
        return f"Application {self.reference}"

    @property
    def reference(self) -> str:
        return f"VOL-{self.pk:05d}" if self.pk else "VOL-new"

    @property
    def is_closed(self) -> bool:
        return self.stage in CLOSED

    @property
    def availability_labels(self) -> list[str]:
        labels = dict(AVAILABILITY_CHOICES)
        return [labels[slot] for slot in self.availability if slot in labels]

    def target_days(self) -> int | None:
        return settings.VOLUNTEER_STAGE_TARGET_DAYS.get(self.stage)

    def due_by(self):
        days = self.target_days()
        return self.stage_entered_at + timedelta(days=days) if days is not None else None

    def is_overdue(self, now=None) -> bool:
        due = self.due_by()
        return due is not None and (now or timezone.now()) > due

    def days_in_stage(self, now=None) -> int:
        return ((now or timezone.now()) - self.stage_entered_at).days


class StageChange(models.Model):
    """Every move of an application: by whom (none: it completed by itself), and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="changes")
    from_stage = models.CharField(max_length=16, choices=Stage.choices)
    to_stage = models.CharField(max_length=16, choices=Stage.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = EncryptedTextField(blank=True)
    automatic = models.BooleanField(default=False)
    override = models.BooleanField(default=False)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_stage_display()} → {self.get_to_stage_display()}"


class Note(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Note #{self.pk}"


class Reference(models.Model):
    class Status(models.TextChoices):
        NOT_SENT = "not_sent", "Not requested yet"
        REQUESTED = "requested", "Requested"
        RECEIVED = "received", "Received"
        FAILED = "failed", "Failed (no answer)"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="references"
    )
    position = models.PositiveSmallIntegerField()  # 1 or 2
    name = EncryptedTextField(blank=True)
    email = EncryptedEmailField(blank=True)
    relationship = EncryptedTextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NOT_SENT)
    # The emailed token, encrypted (reminders send the same link), and its SHA-256 to find
    # it by; both are cleared once the reference is answered or has failed.
    token = EncryptedTextField(blank=True)
    token_digest = models.CharField(max_length=64, blank=True, db_index=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    received_at = models.DateTimeField(null=True, blank=True)
    known_for = EncryptedTextField(blank=True)
    suitability = EncryptedTextField(blank=True)
    concerns = EncryptedTextField(blank=True)
    recommends = models.BooleanField(null=True)

    class Meta:
        ordering = ["application", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "position"], name="one_reference_per_position"
            )
        ]

    def __str__(self) -> str:
        return f"Reference {self.position} of {self.application.reference}"


class DBSCheck(models.Model):
    """The DBS record of one application (one volunteer): the outcome, never a scan."""

    class Outcome(models.TextChoices):
        CLEAR = "clear", "Clear"
        ACCEPTED = "accepted", "Information disclosed, risk assessed and accepted"
        NOT_ACCEPTED = "not_accepted", "Information disclosed, not accepted"

    SATISFACTORY = (Outcome.CLEAR, Outcome.ACCEPTED)

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="dbs_check"
    )
    level = models.CharField(max_length=10, choices=DBSLevel.choices)
    certificate_number = EncryptedTextField()
    issued_on = models.DateField()
    update_service = models.BooleanField("subscribed to the Update Service", default=False)
    outcome = models.CharField(max_length=14, choices=Outcome.choices)
    renewal_due_on = models.DateField()
    status_checked_on = models.DateField(
        "Update Service status last checked", null=True, blank=True
    )
    # Days before renewal already reminded about (VOLUNTEER_DBS_RENEWAL_REMINDER_DAYS).
    reminders_sent = models.JSONField(default=list, blank=True)
    status_check_reminded_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "DBS check"

    def __str__(self) -> str:
        return f"DBS check of {self.application.reference}"

    @property
    def satisfactory(self) -> bool:
        return self.outcome in self.SATISFACTORY

    def lapsed(self, today=None) -> bool:
        return (today or timezone.localdate()) > self.renewal_due_on


class EqualityMonitoring(models.Model):
    """Optional answers, kept apart: no link to the application or the person, only the
    month and locality they were given in, so that they are only ever counted."""

    PREFER_NOT = ("prefer_not", "Prefer not to say")

    class AgeBand(models.TextChoices):
        UNDER_25 = "under_25", "Under 25"
        FROM_25 = "25_44", "25 to 44"
        FROM_45 = "45_64", "45 to 64"
        OVER_65 = "65_plus", "65 or over"
        PREFER_NOT = "prefer_not", "Prefer not to say"

    month = models.DateField(help_text="The first day of the month the answers were given.")
    locality = models.ForeignKey(
        "portal.Locality", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    age_band = models.CharField(max_length=12, choices=AgeBand.choices, blank=True)
    gender = models.CharField(max_length=60, blank=True)
    ethnicity = models.CharField(max_length=80, blank=True)
    disability = models.CharField(
        max_length=12,
        blank=True,
        choices=[("yes", "Yes"), ("no", "No"), PREFER_NOT],
    )
    sexual_orientation = models.CharField(max_length=60, blank=True)

    class Meta:
        verbose_name_plural = "equality monitoring answers"

    def __str__(self) -> str:
        return f"Equality monitoring answers #{self.pk}"
