"""The engine's states, refusals and the abstract models an app subclasses, with their hooks."""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from django.db import models
from django.db.models import Sum, Value
from django.utils import timezone


class HoldingStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    HELD = "held", "Held while paying"
    OFFERED = "offered", "Offered from the waiting list"
    WAITING = "waiting", "On the waiting list"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Expired"


TAKING_PLACES = (HoldingStatus.CONFIRMED, HoldingStatus.HELD, HoldingStatus.OFFERED)
ACTIVE = (*TAKING_PLACES, HoldingStatus.WAITING)


class PlacesError(Exception):
    """A request the engine refuses; the message is fit to show the person."""


class NoPlaces(PlacesError):
    pass


class NotOffered(PlacesError):
    pass


class NotEligible(PlacesError):
    """The holding's `not_eligible_because` gave a reason."""


class Overlaps(PlacesError):
    """The person already holds places on an offering at the same time."""


class PlaceOffering(models.Model):
    """Something with a limited number of places.

    Hooks: `offer_window`; `span_fields`, the names of the offering's start and end (both
    datetimes), for the one-place-at-a-time rule (see PlaceHolding.person_field)."""

    capacity = models.PositiveIntegerField()

    span_fields: ClassVar[tuple[str, str] | None] = None

    class Meta:
        abstract = True

    def offer_window(self) -> timedelta | None:
        """How long freed places are offered to the next waiting entry before passing on;
        None confirms them at once (when nothing must be paid or accepted)."""
        return timedelta(hours=24)

    def places_taken(self) -> int:
        return self.holdings.filter(status__in=TAKING_PLACES).aggregate(n=Sum("quantity"))["n"] or 0

    def places_left(self) -> int:
        return max(self.capacity - self.places_taken(), 0)


class PlaceHolding(models.Model):
    """A claim on some of an offering's places (see portal.places for the states).

    Hooks an app overrides: `on_places_changed` (tell people), `not_eligible_because` (may
    this person take places now), `waiting_priority` (who goes first on the waiting list)
    and `person_field` (the foreign key naming whose holding it is: with the offering's
    `span_fields`, one person cannot hold places on two offerings that overlap in time)."""

    status = models.CharField(max_length=12, choices=HoldingStatus.choices, db_index=True)
    quantity = models.PositiveSmallIntegerField(default=1)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="When a hold for payment or an offer lapses."
    )
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)
    status_changed_at = models.DateTimeField(default=timezone.now)

    person_field: ClassVar[str | None] = None

    class Meta:
        abstract = True

    def on_places_changed(self, previous: str) -> None:
        """Called inside the engine's transaction after this holding moved from `previous`
        ("" for a new holding)."""

    def not_eligible_because(self) -> str | None:
        """Why this holding may not take places now (fit to show the person), or None. Asked
        of a new request (refused with NotEligible), of a manual offer, and of each waiting
        entry before it is offered places (one not eligible is passed over and keeps its
        position). Runs with the offering locked: read, never write."""
        return None

    @classmethod
    def waiting_priority(cls) -> models.Expression:
        """A database expression ranking waiting entries: higher goes first, then the
        earlier request. Default: everyone equal (first come, first served)."""
        return Value(0)

    @property
    def takes_places(self) -> bool:
        return self.status in TAKING_PLACES

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE
