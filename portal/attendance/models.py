"""Registers: one mark per person per occurrence (a course session now; programme weeks and
volunteer shifts later), each person's stored completion of a series, and the feedback people
give afterwards.

All are keyed generically (content type + id) to the occurrence (or series) and to the
person, so every app shares one register screen, one way of computing completion and one
feedback form; each app describes its occurrences in its own `registers.py` (see
portal.attendance.registry).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from portal.crypto import EncryptedTextField


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    LATE = "late", "Late"
    ABSENT = "absent", "Absent"
    APOLOGIES = "apologies", "Apologies"


# Being there, even late, counts towards certificates and completion.
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
# The longest time one mark may record (a day).
MAX_DURATION = timedelta(hours=24)


class OccurrencePersonKey(models.Model):
    """The generic pair every register row is keyed by: which occurrence, which person."""

    occurrence_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    occurrence_id = models.PositiveBigIntegerField()
    occurrence = GenericForeignKey("occurrence_type", "occurrence_id")
    person_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    person_id = models.PositiveBigIntegerField()
    person = GenericForeignKey("person_type", "person_id")

    class Meta:
        abstract = True


class AttendanceMark(OccurrencePersonKey):
    status = models.CharField(max_length=10, choices=AttendanceStatus.choices)
    # Time given (a volunteer's hours on a shift), where the source records it; only for
    # someone who was there.
    duration = models.DurationField(null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now)
    feedback_requested_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence_type", "occurrence_id", "person_type", "person_id"],
                name="one_mark_per_person_per_occurrence",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AttendanceStatus.values), name="mark_status_known"
            ),
            models.CheckConstraint(
                condition=Q(duration__isnull=True)
                | Q(
                    duration__gt=timedelta(0),
                    duration__lte=MAX_DURATION,
                    status__in=ATTENDED,
                ),
                name="mark_duration_only_when_there",
            ),
        ]
        indexes = [models.Index(fields=["person_type", "person_id"])]

    def __str__(self):
        return f"Attendance mark #{self.pk} ({self.get_status_display()})"

    @property
    def attended(self) -> bool:
        return self.status in ATTENDED


class SeriesCompletion(models.Model):
    """How far one person is through one series (see portal.attendance.completion), stored by
    the attendance service in the transaction that changes one of their marks, so reports and
    certificates read it rather than recompute it."""

    series_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    series_id = models.PositiveBigIntegerField()
    series = GenericForeignKey("series_type", "series_id")
    person_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    person_id = models.PositiveBigIntegerField()
    person = GenericForeignKey("person_type", "person_id")
    attended = models.PositiveIntegerField(default=0, help_text="Occurrences held they attended.")
    held = models.PositiveIntegerField(default=0, help_text="Occurrences held (not cancelled).")
    completed = models.BooleanField(default=False)
    completed_at = models.DateTimeField(null=True, blank=True)
    duration = models.DurationField(default=timedelta, help_text="Time recorded on their marks.")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["series_type", "series_id", "person_type", "person_id"],
                name="one_completion_per_person_per_series",
            ),
            models.CheckConstraint(
                condition=Q(attended__lte=models.F("held")), name="completion_attended_of_held"
            ),
            models.CheckConstraint(
                condition=Q(completed=False) | Q(completed_at__isnull=False),
                name="completion_completed_has_a_date",
            ),
        ]
        indexes = [models.Index(fields=["person_type", "person_id"])]

    def __str__(self):
        return f"Completion #{self.pk} ({self.attended} of {self.held})"


class FeedbackResponse(OccurrencePersonKey):
    """What one person thought of one occurrence: given once, through a signed link."""

    rating = models.PositiveSmallIntegerField(
        choices=[(n, str(n)) for n in range(1, 6)], help_text="1 (poor) to 5 (excellent)."
    )
    # Free text can say anything about anyone, so it is encrypted like other personal data.
    comment = EncryptedTextField(blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence_type", "occurrence_id", "person_type", "person_id"],
                name="one_feedback_per_person_per_occurrence",
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"
            ),
        ]

    def __str__(self):
        return f"Feedback #{self.pk} ({self.rating}/5)"
