"""Reads of the engine: the waiting list's order, a place in it, places taken for lists."""

from __future__ import annotations

from django.db.models import F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from portal.places.base import TAKING_PLACES, HoldingStatus, PlaceHolding, PlaceOffering
from portal.places.locks import offering_field_name

PRIORITY = "places_priority"


def waiting_queue(offering: PlaceOffering) -> QuerySet:
    """The offering's waiting entries in the order they are offered places: the holding
    model's `waiting_priority` (highest first), then the earliest request."""
    waiting = offering.holdings.filter(status=HoldingStatus.WAITING)
    return waiting.annotate(**{PRIORITY: waiting.model.waiting_priority()}).order_by(
        F(PRIORITY).desc(), "requested_at", "pk"
    )


def waiting_position(holding: PlaceHolding) -> int | None:
    """Where a waiting entry stands in its offering's queue (1 is next), or None when it is
    not waiting. Entries are offered places in this order, though one that wants fewer
    places (or another that is not eligible) may be passed over for one behind it."""
    if holding.status != HoldingStatus.WAITING:
        return None
    model = type(holding)
    attname = model._meta.get_field(offering_field_name(model)).attname
    queue = model.objects.filter(
        status=HoldingStatus.WAITING, **{attname: getattr(holding, attname)}
    ).annotate(**{PRIORITY: model.waiting_priority()})
    mine = queue.filter(pk=holding.pk).values_list(PRIORITY, flat=True).first()
    if mine is None:
        return None
    ahead = queue.filter(
        Q(**{f"{PRIORITY}__gt": mine})
        | Q(**{PRIORITY: mine, "requested_at__lt": holding.requested_at})
        | Q(**{PRIORITY: mine, "requested_at": holding.requested_at, "pk__lt": holding.pk})
    )
    return ahead.count() + 1


def with_places_taken(offerings: QuerySet, name: str = "taken") -> QuerySet:
    """Annotate `name` (places confirmed, held or offered) on every offering, in the same
    query: for lists, which must not ask `places_taken()` once per row."""
    holdings = offerings.model._meta.get_field("holdings").related_model
    to_offering = offering_field_name(holdings)
    taken = (
        holdings.objects.filter(**{to_offering: OuterRef("pk"), "status__in": TAKING_PLACES})
        .order_by()
        .values(to_offering)
        .annotate(n=Sum("quantity"))
        .values("n")
    )
    return offerings.annotate(
        **{name: Coalesce(Subquery(taken, output_field=IntegerField()), Value(0))}
    )
