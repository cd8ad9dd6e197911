"""Courses (Wagtail pages), their sessions, bookings and the people who hold the places."""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, Site

from portal.crypto import BlindIndexField, EncryptedEmailField, EncryptedTextField
from portal.places import HoldingStatus, PlaceHolding, PlaceOffering


def payment_hold() -> timedelta:
    """How long places are held while the person pays by card (PLACES_PAYMENT_HOLD_MINUTES)."""
    return timedelta(minutes=settings.PLACES_PAYMENT_HOLD_MINUTES)


def offer_window() -> timedelta:
    """How long freed places are offered to a waiting-list entry (PLACES_OFFER_HOURS)."""
    return timedelta(hours=settings.PLACES_OFFER_HOURS)


class Audience(models.TextChoices):
    COUNCIL_STAFF = "council_staff", "Council staff"
    PARTNER_AGENCY = "partner_agency", "Partner agency"
    BUSINESS = "business", "Business"
    VOLUNTARY = "voluntary", "Voluntary sector"
    PUBLIC = "public", "Member of the public"
    VOLUNTEER = "volunteer", "Volunteer"


class Delivery(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    BLENDED = "blended", "Blended"


class Topic(models.Model):
    """A subject courses can be filtered by (edited as a snippet)."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class TrainingIndexPage(Page):
    """The course catalogue: lists sessions of the courses beneath it (see courses.views)."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, "intro"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    def serve(self, request, *args, **kwargs):
        from courses.views import catalogue

        return catalogue(request, self)


class CoursePage(Page):
    summary = models.TextField(help_text="One or two sentences for the catalogue.")
    learning_outcomes = RichTextField(features=["bold", "italic", "ul", "ol", "link"])
    length = models.CharField(max_length=80, help_text='For example "Half a day (3 hours)".')
    cpd_hours = models.DecimalField("CPD hours", max_digits=4, decimal_places=1, default=0)
    delivery = models.CharField(max_length=12, choices=Delivery.choices)
    topics = ParentalManyToManyField(Topic, blank=True, related_name="courses")

    content_panels = [
        *Page.content_panels,
        "summary",
        "learning_outcomes",
        "length",
        "cpd_hours",
        "delivery",
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        InlinePanel("audiences", heading="Who may book, and at what price", min_num=1),
    ]
    parent_page_types = ["courses.TrainingIndexPage"]
    subpage_types: list[str] = []

    def serve(self, request, *args, **kwargs):
        from courses.views import course_detail

        return course_detail(request, self)

    def price_for(self, audience: str) -> int | None:
        """Price in pence for this audience, or None if it may not book."""
        for row in self.audiences.all():
            if row.audience == audience and row.may_book:
                return row.price_pence
        return None


class CourseAudience(Orderable):
    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="audiences")
    audience = models.CharField(max_length=20, choices=Audience.choices)
    may_book = models.BooleanField(default=True)
    price_pence = models.PositiveIntegerField(
        "price (pence)", default=0, help_text="0 for free. 4500 is £45.00."
    )

    panels = ["audience", "may_book", "price_pence"]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["course", "audience"], name="one_price_per_audience")
        ]

    def __str__(self):
        return f"{self.get_audience_display()}: {self.price_pence}p"


class Session(PlaceOffering):
    """One run of a course. Its places are managed by portal.places."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    course = models.ForeignKey(CoursePage, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    online = models.BooleanField(default=False, help_text="Held online rather than at a venue.")
    venue = models.TextField(blank=True, help_text="Name and address, for sessions in person.")
    locality = models.ForeignKey(
        "portal.Locality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="course_sessions",
        help_text="Where it is held (Online for an online session); who coordinates it.",
    )
    joining_link = models.URLField(blank=True, help_text="Shown only to confirmed attendees.")
    joining_instructions = models.TextField(blank=True)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="training_sessions",
        limit_choices_to={"groups__name": "Trainer"},
    )
    booking_closes_at = models.DateTimeField(
        null=True, blank=True, help_text="Booking and cancelling close then; empty: at the start."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    reminders_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        # One per training report (courses/reports.py), granted to roles by the migrations
        # and editable per group in the staff area.
        permissions = [
            ("report_training_by_sector", "Can see the report: people trained by sector"),
            ("report_training_by_audience", "Can see the report: people trained by audience"),
            ("report_training_by_month", "Can see the report: people trained by month"),
            (
                "report_attendance_by_session",
                "Can see the report: each session's attendance and no-shows",
            ),
            (
                "report_attendance_by_course",
                "Can see the report: attendance and no-shows by course",
            ),
            ("report_training_income", "Can see the report: training income"),
            ("report_training_feedback", "Can see the report: feedback scores by course"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="ends_after_start"
            ),
            models.CheckConstraint(condition=Q(online=True) | ~Q(venue=""), name="venue_or_online"),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.course.title}, {local:%-d %b %Y %H:%M}"

    def offer_window(self) -> timedelta:
        return offer_window()

    @property
    def closes_at(self):
        return self.booking_closes_at or self.starts_at

    @property
    def is_open_for_booking(self) -> bool:
        return self.status == self.Status.SCHEDULED and timezone.now() < self.closes_at

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class PaymentMethod(models.TextChoices):
    CARD = "card", "Card"
    INVOICE = "invoice", "Invoice (purchase order)"


class Booking(PlaceHolding):
    """One booking reference: one or more places on a session, made by one person."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="holdings")
    reference = models.CharField(max_length=12, unique=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="course_bookings"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT
    )
    # Set when a member of staff made the booking for the booker (who phoned), and when.
    booked_by_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="course_bookings_taken",
        help_text="The member of staff who booked for the booker (by phone).",
    )
    booked_by_staff_at = models.DateTimeField(null=True, blank=True)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    unit_price_pence = models.PositiveIntegerField(default=0)
    payment_method = models.CharField(
        max_length=8, choices=PaymentMethod.choices, default=PaymentMethod.CARD
    )
    # Encrypted (it can name a person's budget or case); never filtered or ordered on.
    purchase_order = EncryptedTextField("purchase-order number", max_length=50, blank=True)
    invoice_owed_pence = models.PositiveIntegerField(
        "owed on invoice (pence)",
        default=0,
        help_text="What the organisation owes for an invoiced booking; cancellations reduce it.",
    )
    invoice_paid_at = models.DateTimeField("invoice paid", null=True, blank=True)
    invoice_credit_pence = models.PositiveIntegerField(
        "credit due (pence)",
        default=0,
        help_text="Owed back to the organisation for places cancelled after its invoice was paid.",
    )
    invoice_credited_at = models.DateTimeField("credit given", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["session", "status"])]
        permissions = [("view_invoices", "Can see invoiced bookings and what is owed")]

    def __str__(self):
        return self.reference

    @staticmethod
    def new_reference() -> str:
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        return "TR-" + "".join(secrets.choice(alphabet) for _ in range(6))

    @property
    def total_pence(self) -> int:
        return self.unit_price_pence * self.quantity

    @property
    def is_invoiced(self) -> bool:
        return self.payment_method == PaymentMethod.INVOICE

    # Where the booking stands, for templates (which compare no status strings).
    @property
    def is_confirmed(self) -> bool:
        return self.status == HoldingStatus.CONFIRMED

    @property
    def awaits_payment(self) -> bool:
        """Held while the booker pays by card."""
        return self.status == HoldingStatus.HELD

    @property
    def is_offered(self) -> bool:
        return self.status == HoldingStatus.OFFERED

    @property
    def is_waiting(self) -> bool:
        return self.status == HoldingStatus.WAITING

    def on_places_changed(self, previous: str) -> None:
        from courses import services

        services.booking_status_changed(self, previous)


class Attendee(models.Model):
    """A named person in one place of a booking; carries their calendar invite's identity."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CANCELLED = "cancelled", "Cancelled"
        TRANSFERRED = "transferred", "Transferred to someone else"

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="attendees")
    # Copied from the booking so that one person can hold only one place per session.
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # Encrypted at rest; found through the blind index (portal.crypto.blind_lookup("email", ...)).
    name = EncryptedTextField(max_length=150)
    email = EncryptedEmailField()
    email_index = BlindIndexField(source="email", kind="email")
    needs = EncryptedTextField("access or dietary needs", blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    calendar_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    calendar_sequence = models.PositiveIntegerField(default=0)
    transferred_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="transferred_to"
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "email_index"],
                condition=Q(status="active"),
                name="one_place_per_person_per_session",
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def has_place(self) -> bool:
        """Still holds their place (not cancelled, nor transferred to someone else)."""
        return self.status == self.Status.ACTIVE


@register_setting(icon="undo")
class CancellationPolicy(BaseSiteSetting):
    """What a person gets back when they cancel a paid place (or what an invoiced
    organisation no longer owes). When staff cancel a session, everything is refunded."""

    full_refund_days = models.PositiveSmallIntegerField(
        "full refund up to (days before the session)",
        default=7,
        help_text="Cancelling at least this many days before the session starts refunds in full.",
    )
    late_refund_percent = models.PositiveSmallIntegerField(
        "refund after that (%)",
        default=0,
        validators=[MaxValueValidator(100)],
        help_text="The share refunded for a later cancellation (0 for none, 50 for half).",
    )

    panels = ["full_refund_days", "late_refund_percent"]

    class Meta:
        verbose_name = "course cancellation policy"

    def __str__(self):
        return self.describe()

    def full_refund_until(self, starts_at):
        return starts_at - timedelta(days=self.full_refund_days)

    def refund_pence(self, amount_pence: int, starts_at, now=None) -> int:
        """What is refunded of `amount_pence` for a place cancelled `now`."""
        now = now or timezone.now()
        if now <= self.full_refund_until(starts_at):
            return amount_pence
        return amount_pence * self.late_refund_percent // 100

    def describe(self) -> str:
        days = f"{self.full_refund_days} day{'' if self.full_refund_days == 1 else 's'}"
        late = (
            "no refund"
            if self.late_refund_percent == 0
            else "a full refund"
            if self.late_refund_percent >= 100
            else f"a {self.late_refund_percent}% refund"
        )
        return f"Cancel up to {days} before the session for a full refund; after that, {late}."

    @classmethod
    def current(cls) -> CancellationPolicy:
        """The default site's policy (services have no request to find a site from)."""
        site = Site.objects.filter(is_default_site=True).first()
        return cls.for_site(site) if site else cls()
