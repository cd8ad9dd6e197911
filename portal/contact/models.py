"""The safe-contact plan: one per person, with or without an account.

For an account holder the plan hangs off their `User` (whose email and phone it uses); for a
person known only to staff (a self-referrer, a participant enrolled by staff) it carries the
name, email and phone itself, encrypted, with blind indexes so that a message to that
address or number finds the plan. Everything personal is encrypted at rest; the channel
flags and the safe days and times are not, so that the outbox can honour them cheaply.
"""

from django.conf import settings
from django.db import models

from portal.crypto import BlindIndexField, EncryptedEmailField, EncryptedTextField

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class SafeContactPlan(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="safe_contact_plan",
        help_text="Empty for a person without an account: the plan then holds their details.",
    )
    name = EncryptedTextField(blank=True, help_text="Only for a person without an account.")
    email = EncryptedEmailField(blank=True, help_text="Only for a person without an account.")
    email_index = BlindIndexField(source="email", kind="email")
    phone = EncryptedTextField(blank=True, help_text="Only for a person without an account.")
    phone_index = BlindIndexField(source="phone", kind="phone")
    postal_address = EncryptedTextField(blank=True)

    # Safe channels; none of them set means "do not contact".
    email_is_safe = models.BooleanField("email is safe", default=True)
    text_is_safe = models.BooleanField("text messages are safe", default=True)
    phone_call_is_safe = models.BooleanField("phone calls are safe", default=False)
    letter_is_safe = models.BooleanField("letters are safe", default=False)

    # Safe days (0 = Monday) and time windows (["09:00", "12:00"] pairs) in Europe/London:
    # empty means any day, or any time of a safe day.
    safe_days = models.JSONField(default=list, blank=True)
    safe_windows = models.JSONField(default=list, blank=True)

    voicemail_allowed = models.BooleanField("a voicemail may be left", default=False)
    voicemail_wording = EncryptedTextField("what a voicemail may say", blank=True)
    service_may_be_named = models.BooleanField(
        default=True,
        help_text="If not, everything sent is discreet: neutral sender, subject and wording.",
    )
    location_in_calendar = models.BooleanField(
        "discreet calendar invites may give the place",
        default=False,
        help_text="When the service may not be named, invites carry no place unless this is set.",
    )
    alternative_contact = EncryptedTextField("a safe alternative contact", blank=True)
    preferred_name = EncryptedTextField(blank=True)
    language = EncryptedTextField("preferred language", blank=True)
    interpreter_needed = models.BooleanField(default=False)
    notes = EncryptedTextField(blank=True)
    review_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "safe-contact plan"
        ordering = ["-updated_at"]

    def __str__(self):
        # No personal data: this names the plan in Wagtail's own (unencrypted) action log.
        return f"Safe-contact plan #{self.pk}"

    @property
    def display_name(self) -> str:
        """What to call the person: their preferred name, else their name."""
        if self.preferred_name:
            return self.preferred_name
        if self.user_id:
            return self.user.get_full_name() or self.user.email
        return self.name

    @property
    def contact_email(self) -> str:
        return self.user.email if self.user_id else self.email

    @property
    def contact_phone(self) -> str:
        return self.user.phone if self.user_id else self.phone

    @property
    def discreet(self) -> bool:
        return not self.service_may_be_named
