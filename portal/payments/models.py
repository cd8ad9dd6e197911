"""Payments by Stripe Checkout, their refunds, and the log of Stripe's webhook events.

A Payment belongs to whatever a feature sells, named by `purpose` (e.g. "courses.booking")
and the feature's own `reference`; this app never imports the feature.
"""

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.db.models import F, Q

from portal.crypto import EncryptedEmailField
from portal.money import pounds


class Payment(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Checkout open"
        PAID = "paid", "Paid"
        EXPIRED = "expired", "Expired"
        FAILED = "failed", "Failed"
        REFUNDED = "refunded", "Refunded"
        PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"

    purpose = models.CharField(max_length=80, help_text="What is paid for, e.g. 'courses.booking'.")
    reference = models.CharField(max_length=120, help_text="The feature's own reference.")
    description = models.CharField(max_length=200)
    amount_pence = models.PositiveIntegerField()
    currency = models.CharField(max_length=3, default="gbp")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    refunded_pence = models.PositiveIntegerField(
        default=0, help_text="Refunded, or being refunded, so far."
    )
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="payments",
    )
    customer_email = EncryptedEmailField()
    metadata = models.JSONField(default=dict, blank=True)
    stripe_checkout_session_id = models.CharField(max_length=255, blank=True)
    stripe_payment_intent_id = models.CharField(max_length=255, blank=True)
    checkout_url = models.URLField(max_length=1000, blank=True)
    hold_expires_at = models.DateTimeField(help_text="When our hold on what is paid for lapses.")
    checkout_expires_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "reference"],
                condition=Q(status="open"),
                name="payments_one_open_checkout_per_reference",
            ),
            models.UniqueConstraint(
                fields=["stripe_checkout_session_id"],
                condition=~Q(stripe_checkout_session_id=""),
                name="payments_unique_checkout_session",
            ),
            models.CheckConstraint(
                condition=Q(amount_pence__gt=0), name="payments_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(refunded_pence__lte=F("amount_pence")),
                name="payments_never_refund_more_than_paid",
            ),
            models.CheckConstraint(
                condition=Q(refunded_pence=0)
                | Q(status__in=["paid", "refunded", "partially_refunded"]),
                name="payments_refunds_only_of_paid",
            ),
        ]
        indexes = [
            models.Index(fields=["purpose", "reference"]),
            models.Index(fields=["status", "hold_expires_at"]),
            models.Index(fields=["stripe_payment_intent_id"]),
        ]

    def __str__(self):
        # No email or name: this string can reach logs.
        return f"Payment #{self.pk} ({self.purpose} {self.reference}, {self.get_status_display()})"

    @property
    def refundable_pence(self) -> int:
        return self.amount_pence - self.refunded_pence

    @admin.display(description="Amount", ordering="amount_pence")
    def amount_display(self) -> str:
        return pounds(self.amount_pence)

    @admin.display(description="Refunded", ordering="refunded_pence")
    def refunded_display(self) -> str:
        return pounds(self.refunded_pence)


class Refund(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount_pence = models.PositiveIntegerField()
    reason = models.CharField(max_length=200)
    key = models.CharField(
        max_length=200, help_text="The caller's key: asking twice with one key refunds once."
    )
    idempotency_key = models.CharField(max_length=255, unique=True)
    stripe_refund_id = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["payment", "key"], name="payments_one_refund_per_key"),
            models.UniqueConstraint(
                fields=["stripe_refund_id"],
                condition=~Q(stripe_refund_id=""),
                name="payments_unique_stripe_refund",
            ),
            models.CheckConstraint(
                condition=Q(amount_pence__gt=0), name="payments_refund_positive"
            ),
        ]

    def __str__(self):
        return f"Refund #{self.pk} of payment #{self.payment_id} ({self.get_status_display()})"

    @admin.display(description="Amount", ordering="amount_pence")
    def amount_display(self) -> str:
        return pounds(self.amount_pence)


class StripeEvent(models.Model):
    """Each webhook event Stripe sent, stored once: a replay finds it and changes nothing."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    livemode = models.BooleanField(default=False)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.type} {self.event_id}"
