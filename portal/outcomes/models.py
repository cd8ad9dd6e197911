"""Outcome responses: one person's answers to one measure on one occasion, about one subject
(see portal.outcomes for the contract)."""

import json
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from portal.crypto import EncryptedTextField
from portal.outcomes.measures import measure


class Occasion(models.TextChoices):
    START = "start", "At the start"
    END = "end", "At the end"


class EnteredBy(models.TextChoices):
    STAFF = "staff", "Staff, from a paper form"
    PERSON = "person", "The person, on their own page"


class Response(models.Model):
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    measure = models.CharField(max_length=40)
    occasion = models.CharField(max_length=5, choices=Occasion.choices)
    entered_by = models.CharField(max_length=6, choices=EnteredBy.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The day they answered (a paper form may be entered days later).
    answered_on = models.DateField()
    recorded_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # JSON: item key -> 1..5 or 0 (declined); once anonymised, only {"score": "..."}.
    # Wellbeing answers are health data: encrypted, and scored in Python, never in SQL.
    answers = EncryptedTextField()
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "outcome response"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "measure", "occasion"],
                name="one_response_per_subject_measure_occasion",
            ),
            models.CheckConstraint(
                condition=Q(occasion__in=Occasion.values), name="response_occasion_known"
            ),
            models.CheckConstraint(
                condition=Q(entered_by__in=EnteredBy.values), name="response_entered_by_known"
            ),
        ]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self):
        return f"Outcome response #{self.pk}"

    @property
    def answer_values(self) -> dict:
        return json.loads(self.answers) if self.answers else {}

    @property
    def score(self) -> Decimal | None:
        """The measure's score (the SWEMWBS metric score), None when an item was declined."""
        values = self.answer_values
        if self.anonymised_at is not None:
            return Decimal(values["score"]) if values.get("score") is not None else None
        return measure(self.measure).score(values)
