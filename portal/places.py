"""The one capacity and waiting-list engine: course sessions, programme cohorts, volunteer shifts.

An *offering* (a concrete subclass of `PlaceOffering`) has a capacity. A *holding* (a
concrete subclass of `PlaceHolding`, with a foreign key to its offering whose
``related_name`` is ``"holdings"``) asks for a number of places and is in one state:

- ``confirmed``: the places are theirs;
- ``held``: kept for them while they pay, until ``expires_at``;
- ``offered``: freed places offered from the waiting list, until ``expires_at`` (accepted
  with `accept_offer`; `decline_offer` passes them on at once);
- ``waiting``: on the waiting list, in the order they joined (`waiting_position`), until
  offered places or taken off it (`leave_waiting_list`);
- ``cancelled`` / ``expired``: holds nothing.

Confirmed, held and offered holdings take places. Every write locks the offering row
(``select_for_update``) in one transaction, counts the places taken and only then decides,
so two requests can never both take the last place. After every write that frees places the
engine offers them to the waiting list at once, so this stays true between writes: *no
waiting entry fits in the free places*. A new request therefore takes free places only when
every entry ahead of it wants more than is free (a small request may pass a large one).

Apps react to changes by overriding `PlaceHolding.on_places_changed` (send the offer email,
the confirmation, the calendar invite); the hook runs inside the transaction, so anything it
sends through `portal.notify` leaves only if the change commits.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TypeVar

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q, Sum
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


class PlaceOffering(models.Model):
    """Something with a limited number of places."""

    capacity = models.PositiveIntegerField()

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
    """A claim on some of an offering's places (see the module docstring for the states)."""

    status = models.CharField(max_length=12, choices=HoldingStatus.choices, db_index=True)
    quantity = models.PositiveSmallIntegerField(default=1)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="When a hold for payment or an offer lapses."
    )
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def on_places_changed(self, previous: str) -> None:
        """Called inside the engine's transaction after this holding moved from `previous`."""

    @property
    def takes_places(self) -> bool:
        return self.status in TAKING_PLACES

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE


H = TypeVar("H", bound=PlaceHolding)


def _lock(offering: PlaceOffering) -> PlaceOffering:
    return type(offering).objects.select_for_update().get(pk=offering.pk)


def _lock_holding(holding: H) -> tuple[H, PlaceOffering]:
    """Lock the offering first, then the holding: the one lock order every write follows."""
    offering_field = holding._meta.get_field(_offering_field_name(type(holding)))
    offering = offering_field.related_model.objects.select_for_update().get(
        pk=getattr(holding, offering_field.attname)
    )
    return type(holding).objects.select_for_update().get(pk=holding.pk), offering


def _offering_field_name(holding_model: type[PlaceHolding]) -> str:
    for field in holding_model._meta.get_fields():
        if (
            field.many_to_one
            and field.related_model
            and issubclass(field.related_model, PlaceOffering)
            and field.remote_field.related_name == "holdings"
        ):
            return field.name
    raise TypeError(f"{holding_model.__name__} has no foreign key with related_name='holdings'")


def _move(holding: PlaceHolding, status: str, expires_at=None) -> None:
    previous = holding.status
    holding.status = status
    holding.expires_at = expires_at
    holding.status_changed_at = timezone.now()
    holding.save(update_fields=["status", "expires_at", "status_changed_at", "quantity"])
    holding.on_places_changed(previous)


def request_places(
    offering: PlaceOffering,
    *,
    quantity: int = 1,
    hold_for: timedelta | None = None,
    may_wait: bool = True,
    **fields,
) -> PlaceHolding:
    """Create a holding for `quantity` places: confirmed, or held for `hold_for` (while the
    person pays), or on the waiting list when there are not enough places (or NoPlaces when
    `may_wait` is false). `fields` are the holding's own columns (who, what for).

    Runs in the caller's transaction if there is one: the lock is held until it commits, so
    the caller can create related rows atomically with the holding."""
    if quantity < 1:
        raise PlacesError("Ask for at least one place.")
    with transaction.atomic():
        offering = _lock(offering)
        if quantity > offering.capacity:
            raise NoPlaces(f"There are only {offering.capacity} places in total.")
        free = offering.capacity - offering.places_taken()
        if quantity <= free:
            status = HoldingStatus.HELD if hold_for else HoldingStatus.CONFIRMED
            expires_at = timezone.now() + hold_for if hold_for else None
        elif may_wait:
            status, expires_at = HoldingStatus.WAITING, None
        else:
            raise NoPlaces("There are not enough places left.")
        holding = offering.holdings.create(
            status=status, quantity=quantity, expires_at=expires_at, **fields
        )
        holding.on_places_changed("")
        return holding


def release_places(holding: H, *, quantity: int | None = None) -> H:
    """Give back some (or all) of a holding's places, or leave the waiting list; freed
    places go straight to the waiting list. Returns the holding as it now is."""
    with transaction.atomic():
        holding, offering = _lock_holding(holding)
        if not holding.is_active:
            return holding
        if quantity is None or quantity >= holding.quantity:
            _move(holding, HoldingStatus.CANCELLED, None)
        else:
            holding.quantity -= quantity
            holding.save(update_fields=["quantity"])
        offer_free_places(offering)
        return holding


def resize(holding: H, quantity: int) -> H:
    """Change how many places a waiting entry asks for (before it is offered any)."""
    with transaction.atomic():
        holding, offering = _lock_holding(holding)
        if holding.status != HoldingStatus.WAITING:
            raise PlacesError("Only a waiting-list entry can change how many places it wants.")
        holding.quantity = quantity
        holding.save(update_fields=["quantity"])
        offer_free_places(offering)
        return holding


def offer_free_places(offering: PlaceOffering, *, window: timedelta | None = ...) -> list:
    """Offer free places to waiting entries, oldest first, skipping any that want more than
    is free. Call with the offering locked (every engine write does). Returns those offered."""
    if window is ...:
        window = offering.offer_window()
    free = offering.capacity - offering.places_taken()
    offered = []
    if free <= 0:
        return offered
    waiting = offering.holdings.select_for_update().filter(status=HoldingStatus.WAITING)
    for entry in waiting.order_by("requested_at", "pk"):
        if entry.quantity > free:
            continue
        if window is None:
            _move(entry, HoldingStatus.CONFIRMED, None)
        else:
            _move(entry, HoldingStatus.OFFERED, timezone.now() + window)
        offered.append(entry)
        free -= entry.quantity
        if free == 0:
            break
    return offered


def offer_to(holding: H, *, window: timedelta | None = None) -> H:
    """Staff's manual offer: offer this waiting entry places now, if they are free."""
    with transaction.atomic():
        holding, offering = _lock_holding(holding)
        if holding.status != HoldingStatus.WAITING:
            raise NotOffered("Only someone on the waiting list can be offered places.")
        if holding.quantity > offering.capacity - offering.places_taken():
            raise NoPlaces("There are not enough free places to offer.")
        _move(holding, HoldingStatus.OFFERED, timezone.now() + (window or offering.offer_window()))
        return holding


def accept_offer(holding: H, *, hold_for: timedelta | None = None) -> H:
    """Take up offered places: confirmed, or held for `hold_for` while the person pays."""
    with transaction.atomic():
        holding, offering = _lock_holding(holding)
        if holding.status != HoldingStatus.OFFERED:
            raise NotOffered("This offer has already been used or withdrawn.")
        lapsed = holding.expires_at is not None and holding.expires_at <= timezone.now()
        if lapsed:
            # Pass the places on now rather than wait for the schedule; committed before
            # the refusal is raised.
            _expire(holding, offering)
        elif hold_for:
            _move(holding, HoldingStatus.HELD, timezone.now() + hold_for)
        else:
            _move(holding, HoldingStatus.CONFIRMED, None)
    if lapsed:
        raise NotOffered("This offer has expired and the places were offered to others.")
    return holding


def decline_offer(holding: H) -> H:
    """Turn offered places down: the holding is cancelled and the places are offered to the
    next on the waiting list at once, not when the offer would have lapsed."""
    with transaction.atomic():
        holding, offering = _lock_holding(holding)
        if holding.status != HoldingStatus.OFFERED:
            raise NotOffered("This offer has already been used or withdrawn.")
        _move(holding, HoldingStatus.CANCELLED, None)
        offer_free_places(offering)
        return holding


def leave_waiting_list(holding: H) -> H:
    """Take a waiting entry off the waiting list. It held no places, so none are freed (and
    the invariant holds: no entry left behind fits in places that were not free before)."""
    with transaction.atomic():
        holding, _offering = _lock_holding(holding)
        if holding.status != HoldingStatus.WAITING:
            raise NotOffered("This booking is no longer on the waiting list.")
        _move(holding, HoldingStatus.CANCELLED, None)
        return holding


def waiting_position(holding: PlaceHolding) -> int | None:
    """Where a waiting entry stands in its offering's queue (1 is next), or None when it is
    not waiting. Entries are offered places in this order, though one that wants fewer
    places may be offered free places before larger entries ahead of it."""
    if holding.status != HoldingStatus.WAITING:
        return None
    attname = holding._meta.get_field(_offering_field_name(type(holding))).attname
    ahead = type(holding).objects.filter(
        Q(requested_at__lt=holding.requested_at)
        | Q(requested_at=holding.requested_at, pk__lt=holding.pk),
        status=HoldingStatus.WAITING,
        **{attname: getattr(holding, attname)},
    )
    return ahead.count() + 1


def confirm_held(holding: H) -> bool:
    """Payment arrived: confirm the held places. If the hold had lapsed, confirm only if the
    places are still free; False means no place can be honoured (the caller refunds)."""
    with transaction.atomic():
        holding, offering = _lock_holding(holding)
        if holding.status == HoldingStatus.CONFIRMED:
            return True
        if holding.status == HoldingStatus.HELD:
            _move(holding, HoldingStatus.CONFIRMED, None)
            return True
        free = offering.capacity - offering.places_taken()
        if holding.status == HoldingStatus.EXPIRED and holding.quantity <= free:
            _move(holding, HoldingStatus.CONFIRMED, None)
            return True
        return False


def _expire(holding: PlaceHolding, offering: PlaceOffering) -> None:
    _move(holding, HoldingStatus.EXPIRED, holding.expires_at)
    offer_free_places(offering)


def expire_lapsed(now=None) -> int:
    """Scheduled: end every hold and offer whose time is up and pass the places on."""
    now = now or timezone.now()
    lapsed = Q(status__in=(HoldingStatus.HELD, HoldingStatus.OFFERED), expires_at__lte=now)
    count = 0
    for model in holding_models():
        for pk in list(model.objects.filter(lapsed).values_list("pk", flat=True)):
            with transaction.atomic():
                holding, offering = _lock_holding(model(pk=pk, **_offering_ref(model, pk)))
                # Re-checked under the lock: it may have been paid for or accepted meanwhile.
                if holding.status in (HoldingStatus.HELD, HoldingStatus.OFFERED) and (
                    holding.expires_at <= now
                ):
                    _expire(holding, offering)
                    count += 1
    return count


def _offering_ref(model: type[PlaceHolding], pk) -> dict:
    attname = model._meta.get_field(_offering_field_name(model)).attname
    return {attname: model.objects.filter(pk=pk).values_list(attname, flat=True).get()}


def holding_models() -> list[type[PlaceHolding]]:
    return [m for m in apps.get_models() if issubclass(m, PlaceHolding) and not m._meta.abstract]
