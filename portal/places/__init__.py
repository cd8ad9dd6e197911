"""The one capacity and waiting-list engine: course sessions, programme cohorts, volunteer shifts.

An *offering* (a concrete subclass of `PlaceOffering`) has a capacity. A *holding* (a
concrete subclass of `PlaceHolding`, with a foreign key to its offering whose
``related_name`` is ``"holdings"``) asks for a number of places and is in one state:

- ``confirmed``: the places are theirs;
- ``held``: kept for them while they pay (or a coordinator approves a volunteer's shift
  request), until ``expires_at``;
- ``offered``: freed places offered from the waiting list, or places staff offer a person
  (`request_places(offer_for=...)`), until ``expires_at`` (accepted
  with `accept_offer`; `decline_offer` passes them on at once);
- ``waiting``: on the waiting list (`waiting_queue`, `waiting_position`), until offered
  places or taken off it (`leave_waiting_list`);
- ``cancelled`` / ``expired``: holds nothing.

Writes: `request_places`, `release_places`, `set_capacity` (raising it offers the new places
at once; never below the places taken), `cancel_offering` (every active holding cancelled),
`offer_to` (staff's manual offer), `accept_offer`, `decline_offer`, `leave_waiting_list`,
`confirm_held` (payment arrived) and `expire_lapsed`, which the engine schedules every minute
(`ensure_schedules`, run after migrate by the portal app). Lists annotate places taken with
`with_places_taken(queryset)` rather than ask each row.

Invariants. Confirmed, held and offered holdings take places, and never more than the
capacity: every write locks the offering row (``select_for_update``) in one transaction,
counts the places taken and only then decides, so two requests can never both take the
last place. After every write that frees places (or adds them) the engine offers them to the
waiting list at once, so this stays true between writes: *no waiting entry that is eligible
fits in the free places*. A new request therefore takes free places only when every entry
ahead of it wants more than is free (a small request may pass a large one).

Lock order, the same in every write: the offering row, then the people whose places may
change (`locks.lock_people`, sorted by model and pk: an advisory lock per person on
PostgreSQL, the person's row elsewhere), then holding rows. Each write locks one offering;
a caller that writes two offerings in one transaction must lock them in pk order.

Hooks an app overrides:

- `PlaceHolding.on_places_changed(previous)`: react to a move (send the offer email, the
  confirmation, the calendar invite). It runs inside the transaction, so anything it sends
  through `portal.notify` leaves only if the change commits.
- `PlaceHolding.not_eligible_because()`: a reason this person may not take places now (a
  lapsed check, a missing qualification). A request is refused with it (NotEligible); a
  waiting entry is passed over, keeping its position, until it is eligible again.
- `PlaceHolding.waiting_priority()` (a classmethod returning a database expression):
  waiting entries are offered places by it, highest first, then by request time (a triaged
  referral or a cleared volunteer may go first).
- `PlaceHolding.person_field` and `PlaceOffering.span_fields`: whose holding it is, and the
  offering's start and end. Where both are set, one person cannot take places on two
  offerings that overlap in time, across every holding model in the rule whose person is
  the same model (a shift and a cohort week): a request is refused (Overlaps) and a waiting
  entry passed over. Waiting for two at the same time is allowed. Course bookings leave
  `person_field` unset: one person books places for colleagues, and each attendee may
  hold one place per session (courses' own constraint).
- `PlaceOffering.offer_window()`: how long freed places are offered (None: confirmed at once).
"""

from portal.places.base import (
    ACTIVE,
    TAKING_PLACES,
    HoldingStatus,
    NoPlaces,
    NotEligible,
    NotOffered,
    Overlaps,
    PlaceHolding,
    PlaceOffering,
    PlacesError,
)
from portal.places.engine import (
    accept_offer,
    cancel_offering,
    confirm_held,
    decline_offer,
    expire_lapsed,
    leave_waiting_list,
    offer_free_places,
    offer_to,
    release_places,
    request_places,
    set_capacity,
)
from portal.places.locks import holding_models
from portal.places.selectors import waiting_position, waiting_queue, with_places_taken


def ensure_schedules() -> None:
    from portal.schedules import ensure_schedule

    ensure_schedule("Expire lapsed place holds and offers", "portal.places.expire_lapsed", 1)


__all__ = [
    "ACTIVE",
    "HoldingStatus",
    "NoPlaces",
    "NotEligible",
    "NotOffered",
    "Overlaps",
    "PlaceHolding",
    "PlaceOffering",
    "PlacesError",
    "TAKING_PLACES",
    "accept_offer",
    "cancel_offering",
    "confirm_held",
    "decline_offer",
    "ensure_schedules",
    "expire_lapsed",
    "holding_models",
    "leave_waiting_list",
    "offer_free_places",
    "offer_to",
    "release_places",
    "request_places",
    "set_capacity",
    "waiting_position",
    "waiting_queue",
    "with_places_taken",
]
