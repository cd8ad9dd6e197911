"""Cohort places under real concurrency (PostgreSQL): 60 connections offered places at once."""

import pytest

from portal.places import HoldingStatus
from programmes import services
from programmes.models import Enrolment
from tests.portal.test_places_races import _run
from tests.programmes.builders import bare_referral, cohort, coordinator, programme


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sixty_connections_offering_ten_places_in_a_cohort_never_oversell():
    from cms import demo

    home = demo.seed_site()
    group = cohort(programme(home, rolling=True), capacity=10)
    by = coordinator("north")
    people = [bare_referral(name=f"P{n}") for n in range(60)]
    results = _run(60, lambda n: services.offer_place(group, referral=people[n], by=by))
    statuses = [r.status if isinstance(r, Enrolment) else type(r).__name__ for r in results]
    assert statuses.count(HoldingStatus.OFFERED) == 10
    assert statuses.count(HoldingStatus.WAITING) == 50
    assert Enrolment.objects.filter(cohort=group).count() == 60
    assert group.places_taken() == 10
