"""Models of the shared mechanisms: the notification outbox and the audit trail."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models

from portal.crypto import EncryptedTextField
from portal.localities import Locality, StaffAssignment  # noqa: F401 - models of this app


class OutboxMessage(models.Model):
    """One message to one person, written before it is sent (see portal.notify)."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        SMS = "sms", "Text message"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed after retries"
        SUPPRESSED = "suppressed", "Not sent: no safe channel"

    kind = models.CharField(
        max_length=80, help_text="What sort of message this is, e.g. 'courses.booking_confirmed'."
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = EncryptedTextField()
    sender = models.CharField(max_length=200)
    subject = EncryptedTextField(blank=True)
    body = EncryptedTextField(blank=True)
    html_body = EncryptedTextField(blank=True)
    # [{"filename", "mimetype", "content"}] as JSON, encrypted like the body.
    attachments = EncryptedTextField(blank=True)
    discreet = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Set while one worker sends the message (see portal.notify.deliver): no other worker
    # claims it before `claimed_until`, and only the claim's holder records the outcome.
    claim = models.CharField(max_length=32, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The start of the recipient's next safe window: never sent before it (a retry too).
    not_before = models.DateTimeField(null=True, blank=True)
    # The plan it was written under, checked again just before sending (a channel made
    # unsafe since, or a window not yet open, still holds).
    plan = models.ForeignKey(
        "portal.SafeContactPlan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the message is about (a booking, a referral), so erasing that erases the message.
    concerns_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    concerns_id = models.CharField(max_length=64, blank=True)
    concerns = GenericForeignKey("concerns_type", "concerns_id")

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["concerns_type", "concerns_id"]),
        ]

    def __str__(self):
        # Never the recipient or the subject: this string can reach logs.
        return f"Message #{self.pk} ({self.kind}, {self.get_status_display()})"


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("Audit events are append-only.")

    def delete(self):
        raise PermissionDenied("Audit events are append-only.")


class AuditEvent(models.Model):
    """Who looked at or changed which sensitive record, and when. Append-only."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CREATE = "create", "Created"
        CHANGE = "change", "Changed"
        DELETE = "delete", "Deleted"
        EXPORT = "export", "Exported"
        ERASE = "erase", "Erased"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # No database constraint: deleting an account must not rewrite (or block on) the trail.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # Kept so the trail still says who acted after their account is gone.
    actor_email = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=64)
    # A label that identifies the record without its sensitive content, e.g. "Referral #42".
    target_label = models.CharField(max_length=200)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        default_permissions = ("view",)

    def __str__(self):
        actor = self.actor_email or "system"
        return f"{actor} {self.get_action_display().lower()} {self.target_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Audit events are append-only.")


# The safe-contact plan and the calendar feed token live in their own packages (portal/contact/,
# portal/calendars/); importing them here makes them models of this app. The plan comes first:
# portal.calendars imports portal.notify, which needs it from this module.
from portal.contact.models import SafeContactPlan  # noqa: E402, F401

# isort: split
from portal.calendars.models import CalendarFeedToken  # noqa: E402, F401
