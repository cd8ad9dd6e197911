"""Referral and helpline reports: their rows, counted in the requesting user's scope,
small numbers suppressed, and a permission per report."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from portal.localities import Locality
from portal.reports.registry import report_for
from portal.reports.suppression import Hidden
from referrals import dash, services
from referrals.models import AttemptOutcome, CallerType, Kind, Outcome, Referral, Source
from referrals.reports import rows as reports
from tests.factories import UserFactory
from tests.referrals import factories
from tests.staff import sign_in_to_staff_area

LONDON = ZoneInfo("Europe/London")
MARCH = datetime(2026, 3, 10, 9, 30, tzinfo=LONDON)
APRIL = datetime(2026, 4, 14, 11, 0, tzinfo=LONDON)
SLUGS = [
    "helpline-by-caller-and-hour",
    "referrals-by-source-and-month",
    "referrals-by-locality",
    "referral-outcomes",
    "support-endings",
    "days-to-first-contact",
    "contact-attempts",
    "days-to-service-start",
]


def _call(by, caller, at, locality=None):
    return services.record_advice(
        by=by, caller_type=caller, topic="worried", advice="Advice", locality=locality, called_at=at
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """North: 6 self referrals in March (one high risk, two contacted), 2 by phone in April;
    South: 1 police referral. Advice calls: 7 family at 10am, 1 professional at 2pm and one
    at 7pm (outside the helpline's hours)."""
    with django_db_blocker.unblock(), transaction.atomic():
        people = {
            "north coordinator": UserFactory(roles=["Coordinator"], localities=["north"]),
            "south coordinator": UserFactory(roles=["Coordinator"], localities=["south"]),
            "commissioner": UserFactory(roles=["Commissioner"]),
            "community worker": UserFactory(roles=["Community worker"], localities=["north"]),
        }
        north_coordinator = people["north coordinator"]
        north = Locality.objects.get(slug="north")
        march = [factories.referral("north", now=MARCH + timedelta(hours=i)) for i in range(5)]
        march.append(
            factories.referral(
                "north", now=MARCH, risk=services.Risk(judgement=dash.HIGH), kind=Kind.SELF
            )
        )
        for days, referral in ((2, march[0]), (4, march[1])):
            services.log_attempt(
                referral,
                by=north_coordinator,
                channel="phone_call",
                outcome=AttemptOutcome.NO_ANSWER,
                at=referral.created_at + timedelta(days=1),
            )
            services.log_attempt(
                referral,
                by=north_coordinator,
                channel="phone_call",
                outcome=AttemptOutcome.SPOKE,
                at=referral.created_at + timedelta(days=days),
            )
        services.decide(march[0], by=north_coordinator, outcome=Outcome.DROP_IN)
        services.decide(march[5], by=north_coordinator, outcome=Outcome.HIGH_RISK)
        for _ in range(2):
            factories.referral(
                "north",
                now=APRIL,
                kind=Kind.HELPLINE,
                source=Source.HELPLINE,
                details={"caller_type": CallerType.FRIEND},
            )
        factories.referral("south", now=APRIL, kind=Kind.PROFESSIONAL, source=Source.POLICE)
        for minute in range(7):
            _call(
                north_coordinator, CallerType.FAMILY, APRIL.replace(hour=10, minute=minute), north
            )
        _call(north_coordinator, CallerType.PROFESSIONAL, APRIL.replace(hour=14))
        _call(people["south coordinator"], CallerType.OTHER, APRIL.replace(hour=19))
        yield people
        transaction.set_rollback(True)


def by_first_column(rows, key):
    return {row[key]: row for row in rows}


@pytest.mark.django_db
def test_helpline_calls_by_caller_and_hour(world):
    rows = by_first_column(reports.helpline_by_caller_and_hour(), "caller")
    assert rows["A family member"]["h10"] == 7 and rows["A family member"]["calls"] == 7
    assert rows["A friend"]["h11"] == 2  # the two referrals taken by phone
    assert rows["A professional"]["h14"] == 1
    assert rows["Someone else"]["other_hours"] == 1 and rows["Someone else"]["calls"] == 1
    assert rows["All callers"]["calls"] == 11
    assert rows["All callers"]["h10"] == 7


@pytest.mark.django_db
def test_the_hour_report_suppresses_small_numbers_and_what_gives_them_away(world):
    report = report_for(world["commissioner"], "helpline-by-caller-and-hour")
    rows = by_first_column(report.shown_rows(None, None, user=world["commissioner"]), "caller")
    assert str(rows["A professional"]["h14"]) == "fewer than 5"
    assert str(rows["A friend"]["h11"]) == "fewer than 5"
    assert str(rows["Someone else"]["other_hours"]) == "fewer than 5"
    assert rows["All callers"]["calls"] == 11 and rows["The person themself"]["calls"] == 0
    # The three small callers add up to 4 of the 11: the family's 7 would give that away,
    # so it is hidden in both the 10am column and the calls column.
    assert str(rows["A family member"]["calls"]) == "hidden"
    assert str(rows["A family member"]["h10"]) == "hidden"
    assert str(rows["All callers"]["h10"]) == "hidden"
    every_cell = [v for row in rows.values() for k, v in row.items() if k != "caller"]
    assert not any(isinstance(v, int) and 0 < v < 5 for v in every_cell)


@pytest.mark.django_db
def test_referrals_by_source_and_month(world):
    rows = by_first_column(reports.referrals_by_source_and_month(), "month")
    assert rows["March 2026"]["self"] == 6 and rows["March 2026"]["referrals"] == 6
    april = rows["April 2026"]
    assert (april["helpline"], april["police"], april["referrals"]) == (2, 1, 3)
    assert april["advice"] == 9
    assert rows["Total"]["referrals"] == 9
    # Dates narrow it to the referrals made between them.
    march_only = reports.referrals_by_source_and_month(MARCH.date(), MARCH.date())
    assert [row["month"] for row in march_only] == ["March 2026", "Total"]


@pytest.mark.django_db
def test_the_high_risk_route_by_locality(world):
    rows = by_first_column(reports.referrals_by_locality(), "locality")
    assert (rows["North"]["community"], rows["North"]["high_risk"]) == (7, 1)
    assert rows["North"]["advice"] == 7
    assert rows["Not given"]["advice"] == 2
    assert rows["Total"]["high_risk"] == 1 and rows["Total"]["referrals"] == 9


@pytest.mark.django_db
def test_the_locality_report_breaks_referrals_down_by_risk_level_suppressed(world):
    rows = by_first_column(reports.referrals_by_locality(), "locality")
    north = rows["North"]
    assert (north["risk_standard"], north["risk_medium"], north["risk_high"]) == (7, 0, 1)
    assert rows["Total"]["risk_high"] == 1 and rows["South"]["risk_medium"] == 0
    report = report_for(world["commissioner"], "referrals-by-locality")
    shown = by_first_column(report.shown_rows(None, None, user=None), "locality")["North"]
    # The one high-risk referral is hidden, and so is a count beside it in the risk
    # breakdown: the standard ones would give it away from the referrals total.
    assert str(shown["risk_high"]) == "fewer than 5"
    assert isinstance(shown["risk_standard"], Hidden) or isinstance(shown["referrals"], Hidden)


@pytest.mark.django_db
def test_days_to_a_service_starting(world):
    worker = world["community worker"]
    started = factories.referral("north", now=MARCH)
    services.decide(
        started, by=world["north coordinator"], outcome=Outcome.COMMUNITY_WORKER, worker=worker
    )
    Referral.objects.filter(pk=started.pk).update(decided_at=MARCH + timedelta(days=5))
    rows = by_first_column(reports.days_to_service_start(), "locality")
    # A drop-in's information and the high-risk route do not start a service here.
    assert (rows["North"]["contacted"], rows["North"]["average_days"]) == (1, 5.0)
    assert rows["North"]["not_yet"] == 8 and rows["Total"]["not_yet"] == 9

    # An app that knows when the service really began (programmes) gives that day instead.
    def programme_starts(referrals):
        return {started.pk: MARCH + timedelta(days=12)} if referrals.filter(pk=started.pk) else {}

    reports.register_service_start(programme_starts)
    try:
        rows = by_first_column(reports.days_to_service_start(), "locality")
        assert rows["North"]["average_days"] == 12.0
    finally:
        reports._service_starts.remove(programme_starts)


@pytest.mark.django_db
def test_outcomes(world):
    rows = by_first_column(reports.referral_outcomes(), "outcome")
    assert rows[Outcome.DROP_IN.label]["referrals"] == 1
    assert rows[Outcome.HIGH_RISK.label]["referrals"] == 1
    assert rows["Not decided yet"]["referrals"] == 7
    assert rows["Total"]["referrals"] == 9


@pytest.mark.django_db
def test_days_to_first_contact(world):
    rows = by_first_column(reports.days_to_first_contact(), "locality")
    north = rows["North"]
    assert (north["contacted"], north["average_days"], north["median_days"]) == (2, 3.0, 3.0)
    assert north["not_yet"] == 6
    # Two people contacted: the count is suppressed, and the average with it.
    report = report_for(world["commissioner"], "days-to-first-contact")
    shown = by_first_column(report.shown_rows(None, None, user=None), "locality")["North"]
    assert str(shown["contacted"]) == "fewer than 5" and str(shown["average_days"]) == "hidden"


@pytest.mark.django_db
def test_contact_attempts_per_referral(world):
    rows = by_first_column(reports.contact_attempts(), "attempts")
    assert (rows["0"]["referrals"], rows["2"]["referrals"], rows["Total"]["referrals"]) == (7, 2, 9)


@pytest.mark.django_db
def test_each_report_counts_the_requesting_users_localities(world):
    south = world["south coordinator"]
    rows = by_first_column(reports.referrals_by_locality(user=south), "locality")
    assert rows["Total"]["referrals"] == 1 and rows["South"]["referrals"] == 1
    # Their own call without a locality counts; the north coordinator's does not.
    assert rows["Not given"]["advice"] == 1
    assert (
        by_first_column(reports.helpline_by_caller_and_hour(user=south), "caller")["All callers"][
            "calls"
        ]
        == 1
    )
    commissioner = by_first_column(
        reports.referrals_by_locality(user=world["commissioner"]), "locality"
    )
    assert commissioner["Total"]["referrals"] == 9
    # Nothing in a community worker's figures (none allocated to them): no rows at all.
    assert reports.referral_outcomes(user=world["community worker"]) == []


@pytest.mark.django_db
def test_a_permission_per_report(world):
    for person, allowed in (
        ("commissioner", True),
        ("north coordinator", True),
        ("community worker", False),
    ):
        client = Client()
        sign_in_to_staff_area(client, world[person])
        for slug in SLUGS:
            response = client.get(reverse("service_report", args=[slug]))
            assert response.status_code == (200 if allowed else 404), (person, slug)
    # An administrator can take one report from a role without the others.
    commissioner = world["commissioner"]
    group = commissioner.groups.get(name="Commissioner")
    group.permissions.remove(group.permissions.get(codename="report_contact_attempts"))
    commissioner = type(commissioner).objects.get(pk=commissioner.pk)
    assert not commissioner.has_perm("referrals.report_contact_attempts")
    assert commissioner.has_perm("referrals.report_referral_outcomes")
