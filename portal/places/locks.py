"""Locks, in the one order every write takes them: the offering row, then the people whose
places may change (sorted), then holding rows. See portal.places for why."""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from typing import TypeVar

from django.apps import apps
from django.db import connection

from portal.places.base import TAKING_PLACES, PlaceHolding, PlaceOffering

H = TypeVar("H", bound=PlaceHolding)
OfferingT = TypeVar("OfferingT", bound=PlaceOffering)


def lock_offering(offering: OfferingT) -> OfferingT:
    return type(offering).objects.select_for_update().get(pk=offering.pk)


def lock_holding(holding: H) -> tuple[H, PlaceOffering]:
    """Lock the offering first, then the holding."""
    field = holding._meta.get_field(offering_field_name(type(holding)))
    offering = field.related_model.objects.select_for_update().get(
        pk=getattr(holding, field.attname)
    )
    return type(holding).objects.select_for_update().get(pk=holding.pk), offering


def offering_field_name(holding_model: type[PlaceHolding]) -> str:
    for field in holding_model._meta.get_fields():
        if (
            field.many_to_one
            and field.related_model
            and issubclass(field.related_model, PlaceOffering)
            and field.remote_field.related_name == "holdings"
        ):
            return field.name
    raise TypeError(f"{holding_model.__name__} has no foreign key with related_name='holdings'")


def holding_models() -> list[type[PlaceHolding]]:
    return [m for m in apps.get_models() if issubclass(m, PlaceHolding) and not m._meta.abstract]


# One place at a time: a holding model with `person_field`, on an offering with `span_fields`.


def _person_field(model: type[PlaceHolding]):
    if not model.person_field:
        return None
    offering_model = model._meta.get_field(offering_field_name(model)).related_model
    if not offering_model.span_fields:
        return None
    return model._meta.get_field(model.person_field)


def person_of(holding: PlaceHolding) -> tuple[type, object] | None:
    """(person model, pk) when the holding's model takes part in the overlap rule."""
    field = _person_field(type(holding))
    if field is None or getattr(holding, field.attname) is None:
        return None
    return field.related_model, getattr(holding, field.attname)


def lock_people(people: Iterable[tuple[type, object]]) -> None:
    """Serialise writes about these people's places, in a fixed order (by model, then pk),
    so two writes locking overlapping sets of people cannot deadlock. PostgreSQL: a
    transaction-scoped advisory lock per person (it blocks nothing else, not even updates
    to the person's row; two keys that collide only wait for each other). Elsewhere: the
    person's row, FOR UPDATE where the database has it (SQLite serialises every write
    transaction anyway)."""
    ordered = sorted(set(people), key=lambda p: (p[0]._meta.label, str(p[1])))
    for model, pk in ordered:
        if connection.vendor == "postgresql":
            namespace = zlib.crc32(f"places:{model._meta.label}".encode()) - 2**31
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s, %s)",
                    [namespace, zlib.crc32(str(pk).encode()) - 2**31],
                )
        else:
            list(model.objects.select_for_update().filter(pk=pk).values_list("pk"))


def overlapping_place(holding: PlaceHolding, offering: PlaceOffering) -> PlaceHolding | None:
    """Another holding of the same person that takes places (on any kind of offering in the
    rule) at a time overlapping `offering`'s; None if there is none or the rule does not
    apply. Ask it with the person locked."""
    person = person_of(holding)
    if person is None:
        return None
    person_model, person_pk = person
    start_field, end_field = type(offering).span_fields
    starts, ends = getattr(offering, start_field), getattr(offering, end_field)
    for model in holding_models():
        field = _person_field(model)
        if field is None or field.related_model is not person_model:
            continue
        to_offering = offering_field_name(model)
        other_start, other_end = model._meta.get_field(to_offering).related_model.span_fields
        others = model.objects.filter(
            **{
                field.attname: person_pk,
                "status__in": TAKING_PLACES,
                f"{to_offering}__{other_start}__lt": ends,
                f"{to_offering}__{other_end}__gt": starts,
            }
        )
        if model is type(holding) and holding.pk is not None:
            others = others.exclude(pk=holding.pk)
        if found := others.first():
            return found
    return None
