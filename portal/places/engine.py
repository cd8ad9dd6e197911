"""Every write of the engine (see portal.places for the contract)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from portal.places.base import (
    ACTIVE,
    HoldingStatus,
    NoPlaces,
    NotEligible,
    NotOffered,
    Overlaps,
    PlaceHolding,
    PlaceOffering,
    PlacesError,
)
from portal.places.locks import (
    H,
    holding_models,
    lock_holding,
    lock_offering,
    lock_people,
    offering_field_name,
    overlapping_place,
    person_of,
)
from portal.places.selectors import waiting_queue

OVERLAPS = "You already have a place at that time."


def _move(holding: PlaceHolding, status: str, expires_at=None) -> None:
    previous = holding.status
    holding.status = status
    holding.expires_at = expires_at
    holding.status_changed_at = timezone.now()
    holding.save(update_fields=["status", "expires_at", "status_changed_at", "quantity"])
    holding.on_places_changed(previous)


def _free(offering: PlaceOffering) -> int:
    return offering.capacity - offering.places_taken()


def _refusal(holding: PlaceHolding, offering: PlaceOffering) -> PlacesError | None:
    """Why this person may not take places on `offering` now; ask with the person locked."""
    if reason := holding.not_eligible_because():
        return NotEligible(reason)
    if overlapping_place(holding, offering) is not None:
        return Overlaps(OVERLAPS)
    return None


def request_places(
    offering: PlaceOffering,
    *,
    quantity: int = 1,
    hold_for: timedelta | None = None,
    offer_for: timedelta | None = None,
    may_wait: bool = True,
    **fields,
) -> PlaceHolding:
    """Create a holding for `quantity` places: confirmed, or held for `hold_for` (while the
    person pays), or offered for `offer_for` (staff offer a place the person must accept,
    with `accept_offer`), or on the waiting list when there are not enough places (or
    NoPlaces when `may_wait` is false). `fields` are the holding's own columns (who, what
    for). Refused with NotEligible or Overlaps when the person may not have these places at all.

    Runs in the caller's transaction if there is one: the lock is held until it commits, so
    the caller can create related rows atomically with the holding."""
    if quantity < 1:
        raise PlacesError("Ask for at least one place.")
    with transaction.atomic():
        offering = lock_offering(offering)
        if quantity > offering.capacity:
            raise NoPlaces(f"There are only {offering.capacity} places in total.")
        holding_model = offering.holdings.model
        holding = holding_model(
            **{offering_field_name(holding_model): offering}, quantity=quantity, **fields
        )
        if person := person_of(holding):
            lock_people([person])
        if refusal := _refusal(holding, offering):
            raise refusal
        if hold_for and offer_for:
            raise PlacesError("Places are either held or offered, not both.")
        if quantity <= _free(offering):
            if hold_for:
                holding.status, holding.expires_at = HoldingStatus.HELD, timezone.now() + hold_for
            elif offer_for:
                holding.status = HoldingStatus.OFFERED
                holding.expires_at = timezone.now() + offer_for
            else:
                holding.status, holding.expires_at = HoldingStatus.CONFIRMED, None
        elif may_wait:
            holding.status = HoldingStatus.WAITING
        else:
            raise NoPlaces("There are not enough places left.")
        holding.save(force_insert=True)
        holding.on_places_changed("")
        return holding


def release_places(holding: H, *, quantity: int | None = None) -> H:
    """Give back some (or all) of a holding's places, or leave the waiting list; freed
    places go straight to the waiting list. Returns the holding as it now is."""
    with transaction.atomic():
        holding, offering = lock_holding(holding)
        if not holding.is_active:
            return holding
        if quantity is None or quantity >= holding.quantity:
            _move(holding, HoldingStatus.CANCELLED, None)
        else:
            holding.quantity -= quantity
            holding.save(update_fields=["quantity"])
        offer_free_places(offering)
        return holding


def set_capacity(offering: PlaceOffering, capacity: int) -> list:
    """Change how many places the offering has. Raising it offers the new places to the
    waiting list at once; it cannot go below the places taken (PlacesError: cancel some
    first). Returns the waiting entries offered places."""
    with transaction.atomic():
        offering = lock_offering(offering)
        taken = offering.places_taken()
        if capacity < taken:
            raise PlacesError(
                f"{taken} places are taken, so there must be at least {taken}. "
                "Cancel places first to have fewer."
            )
        offering.capacity = capacity
        offering.save(update_fields=["capacity"])
        return offer_free_places(offering)


def cancel_offering(offering: PlaceOffering) -> list[tuple[PlaceHolding, str]]:
    """The offering will not take place: every active holding (places taken or waiting) is
    cancelled, each through `on_places_changed`. Returns (holding, its previous status)
    pairs. The app marks the offering itself cancelled in the same transaction and refuses
    new requests for it."""
    with transaction.atomic():
        offering = lock_offering(offering)
        active = offering.holdings.select_for_update(of=("self",)).filter(status__in=ACTIVE)
        cancelled = []
        for holding in active.order_by("pk"):
            previous = holding.status
            _move(holding, HoldingStatus.CANCELLED, None)
            cancelled.append((holding, previous))
        return cancelled


def offer_free_places(offering: PlaceOffering, *, window: timedelta | None = ...) -> list:
    """Offer free places to waiting entries in the queue's order (`waiting_queue`), skipping
    any that want more than is free, are not eligible now or would overlap places the
    person holds. Call with the offering locked (every engine write does). Returns those
    offered."""
    if window is ...:
        window = offering.offer_window()
    free = _free(offering)
    offered = []
    if free <= 0:
        return offered
    candidates = [
        entry
        for entry in waiting_queue(offering).select_for_update(of=("self",))
        if entry.quantity <= free
    ]
    lock_people(person for entry in candidates if (person := person_of(entry)))
    for entry in candidates:
        if entry.quantity > free or _refusal(entry, offering):
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
        holding, offering = lock_holding(holding)
        if holding.status != HoldingStatus.WAITING:
            raise NotOffered("Only someone on the waiting list can be offered places.")
        if holding.quantity > _free(offering):
            raise NoPlaces("There are not enough free places to offer.")
        if person := person_of(holding):
            lock_people([person])
        if refusal := _refusal(holding, offering):
            raise refusal
        _move(holding, HoldingStatus.OFFERED, timezone.now() + (window or offering.offer_window()))
        return holding


def accept_offer(holding: H, *, hold_for: timedelta | None = None) -> H:
    """Take up offered places: confirmed, or held for `hold_for` while the person pays."""
    with transaction.atomic():
        holding, offering = lock_holding(holding)
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
        holding, offering = lock_holding(holding)
        if holding.status != HoldingStatus.OFFERED:
            raise NotOffered("This offer has already been used or withdrawn.")
        _move(holding, HoldingStatus.CANCELLED, None)
        offer_free_places(offering)
        return holding


def leave_waiting_list(holding: H) -> H:
    """Take a waiting entry off the waiting list. It held no places, so none are freed (and
    the invariant holds: no entry left behind fits in places that were not free before)."""
    with transaction.atomic():
        holding, _offering = lock_holding(holding)
        if holding.status != HoldingStatus.WAITING:
            raise NotOffered("This booking is no longer on the waiting list.")
        _move(holding, HoldingStatus.CANCELLED, None)
        return holding


def confirm_held(holding: H) -> bool:
    """Payment arrived: confirm the held places. If the hold had lapsed, confirm only if the
    places are still free (and the person has taken no place at the same time meanwhile);
    False means no place can be honoured (the caller refunds)."""
    with transaction.atomic():
        holding, offering = lock_holding(holding)
        if holding.status == HoldingStatus.CONFIRMED:
            return True
        if holding.status == HoldingStatus.HELD:
            _move(holding, HoldingStatus.CONFIRMED, None)
            return True
        if holding.status != HoldingStatus.EXPIRED or holding.quantity > _free(offering):
            return False
        if person := person_of(holding):
            lock_people([person])
        if overlapping_place(holding, offering) is not None:
            return False
        _move(holding, HoldingStatus.CONFIRMED, None)
        return True


def _expire(holding: PlaceHolding, offering: PlaceOffering) -> None:
    _move(holding, HoldingStatus.EXPIRED, holding.expires_at)
    offer_free_places(offering)


def expire_lapsed(now=None) -> int:
    """Scheduled (portal.places.ensure_schedules): end every hold and offer whose time is
    up and pass the places on."""
    now = now or timezone.now()
    lapsed = Q(status__in=(HoldingStatus.HELD, HoldingStatus.OFFERED), expires_at__lte=now)
    count = 0
    for model in holding_models():
        for pk in list(model.objects.filter(lapsed).values_list("pk", flat=True)):
            with transaction.atomic():
                holding, offering = lock_holding(model(pk=pk, **_offering_ref(model, pk)))
                # Re-checked under the lock: it may have been paid for or accepted meanwhile.
                if holding.status in (HoldingStatus.HELD, HoldingStatus.OFFERED) and (
                    holding.expires_at <= now
                ):
                    _expire(holding, offering)
                    count += 1
    return count


def _offering_ref(model: type[PlaceHolding], pk) -> dict:
    attname = model._meta.get_field(offering_field_name(model)).attname
    return {attname: model.objects.filter(pk=pk).values_list(attname, flat=True).get()}
