"""Offerings and holdings of the places engine's own, installed only under pytest: shifts
and cohort weeks in miniature, with every hook an app may override."""

from datetime import timedelta

from django.db import models
from django.db.models import F

from portal.places import PlaceHolding, PlaceOffering


class Person(models.Model):
    name = models.CharField(max_length=40)
    cleared = models.BooleanField(default=True, help_text="Eligible (a check not lapsed).")
    priority = models.PositiveSmallIntegerField(default=0, help_text="Higher goes first.")

    def __str__(self):
        return self.name


class Shift(PlaceOffering):
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    window = models.DurationField(null=True, default=timedelta(hours=24))

    span_fields = ("starts_at", "ends_at")

    def offer_window(self):
        return self.window


class SignUp(PlaceHolding):
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="holdings")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="sign_ups")

    person_field = "person"

    def not_eligible_because(self):
        return None if self.person.cleared else "Your check has lapsed."

    @classmethod
    def waiting_priority(cls):
        return F("person__priority")

    def on_places_changed(self, previous):
        Move.objects.create(sign_up=self, previous=previous, status=self.status)


class Move(models.Model):
    """What the hook was told, in order."""

    sign_up = models.ForeignKey(SignUp, on_delete=models.CASCADE, related_name="moves")
    previous = models.CharField(max_length=12)
    status = models.CharField(max_length=12)

    def __str__(self):
        return f"{self.previous} to {self.status}"


class CohortWeek(PlaceOffering):
    """Another kind of offering in the one-place-at-a-time rule, for the same people."""

    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    span_fields = ("starts_at", "ends_at")


class Enrolment(PlaceHolding):
    week = models.ForeignKey(CohortWeek, on_delete=models.CASCADE, related_name="holdings")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="enrolments")

    person_field = "person"
