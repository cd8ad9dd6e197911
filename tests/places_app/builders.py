"""Builders for the places engine's tests, on the models of tests/places_app."""

from datetime import timedelta

from django.utils import timezone

from portal import places
from tests.places_app.models import Person, Shift, SignUp

# Offerings start on the hour, tomorrow: `hour` places them relative to each other.
BASE = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=1)


def shift(capacity=10, *, hour=0, hours=2, window=timedelta(hours=24)) -> Shift:
    starts = BASE + timedelta(hours=hour)
    return Shift.objects.create(
        capacity=capacity, starts_at=starts, ends_at=starts + timedelta(hours=hours), window=window
    )


def person(name="P", **fields) -> Person:
    return Person.objects.create(name=name, **fields)


def sign_up(offering, who=None, quantity=1, **kwargs) -> SignUp:
    return places.request_places(offering, quantity=quantity, person=who or person(), **kwargs)


def status(holding) -> str:
    holding.refresh_from_db()
    return holding.status
