"""Shift places under real concurrency (PostgreSQL): 50 volunteers (the issue's "at least 50
connections") race for the last place."""

import pytest

from portal.places import HoldingStatus
from tests.portal.test_places_races import _run
from tests.volunteers import helpers
from volunteers.models import ShiftSignup
from volunteers.services import shifts


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_connections_racing_for_the_last_place_on_a_shift_never_oversell():
    roles = helpers.roles()
    coordinator = helpers.coordinator()
    shift = helpers.shift(roles["office"], locality="south", capacity=3)
    first, second = (
        helpers.cleared(role=roles["office"], coordinator=coordinator, locality="south")
        for _ in range(2)
    )
    shifts.sign_up(shift, first)
    shifts.sign_up(shift, second)
    volunteers = [
        helpers.cleared(role=roles["office"], coordinator=coordinator, locality="south")
        for _ in range(50)
    ]
    results = _run(50, lambda n: shifts.sign_up(shift, volunteers[n]))
    statuses = [r.status if isinstance(r, ShiftSignup) else type(r).__name__ for r in results]
    assert statuses.count(HoldingStatus.CONFIRMED) == 1
    assert statuses.count(HoldingStatus.WAITING) == 49
    assert shift.places_taken() == 3
