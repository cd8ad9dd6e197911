"""Programme reports: rows counted in the requesting user's scope, small numbers suppressed
on screen and in the CSV export, a permission per report, and the enrolment's first week
as the service start in referrals' report."""

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.attendance.models import AttendanceStatus
from portal.attendance.services import mark
from portal.reports.registry import report_for
from portal.reports.suppression import FEWER_THAN_5, HIDDEN
from programmes import reports, services
from referrals import reports as referral_reports
from referrals.models import Referral
from tests.factories import UserFactory
from tests.programmes.builders import cohort, coordinator, enrolled, programme, referred
from tests.staff import sign_in_to_staff_area

pytestmark = pytest.mark.django_db

SLUGS = [
    "programme-enrolments",
    "programme-withdrawals",
    "programme-waiting-lists",
    "programme-days-to-a-place",
]


@pytest.fixture
def world(home_page):
    """North: a four-week closed group of 6 (5 attend every week and complete, one is absent
    every week), two more waiting (one withdraws); South: one who starts, then withdraws."""
    page = programme(home_page, weeks=4)
    north_by, south_by = coordinator("north"), coordinator("south")
    north = cohort(page, "north", capacity=6)
    south = cohort(page, "south", capacity=6)
    people = [enrolled(north, by=north_by) for _ in range(6)]
    waiting = []
    for _ in range(2):
        referral = referred("north", by=north_by)
        services.record_assessment(programme=page, plan=referral.plan, suitable=True, by=north_by)
        waiting.append(services.offer_place(north, referral=referral, by=north_by))
    assert all(w.is_waiting for w in waiting)
    services.withdraw(waiting[0], by=north_by)
    leaver = enrolled(south, by=south_by)
    services.withdraw(leaver, reason="Moved away", by=south_by)
    for week in north.sessions.order_by("week"):
        with time_machine.travel(week.starts_at + timedelta(minutes=1)):
            for i, enrolment in enumerate(people):
                status = AttendanceStatus.ABSENT if i == 0 else AttendanceStatus.PRESENT
                mark(week, enrolment, status, by=north_by)
    month = timezone.localtime(north.sessions.get(week=1).starts_at).strftime("%B %Y")
    return {
        "page": page,
        "north": north,
        "month": month,
        "north coordinator": north_by,
        "south coordinator": south_by,
        "commissioner": UserFactory(roles=["Commissioner"]),
        "facilitator": UserFactory(roles=["Programme facilitator"], localities=[]),
    }


def _by(rows, key="locality"):
    return {row[key]: row for row in rows}


def test_enrolments_attendance_and_completion_scoped_and_suppressed(world):
    report = report_for(world["commissioner"], "programme-enrolments")
    rows = report.shown_rows(None, None, user=world["commissioner"])
    north, south, total = rows
    assert (north["locality"], north["month"]) == ("North", world["month"])
    # South's one starter is fewer than 5; North's 6 is hidden with it (the total is 7).
    assert south["started"] == FEWER_THAN_5 and south["completion_rate"] == HIDDEN
    assert north["started"] == HIDDEN and north["attendance_rate"] == HIDDEN
    assert (total["started"], total["completed"]) == (7, 5)
    assert str(total["completion_rate"]) == "71%"

    # A coordinator counts their localities only: North, in full.
    north_by = world["north coordinator"]
    report = report_for(north_by, "programme-enrolments")
    north, total = report.shown_rows(None, None, user=north_by)
    assert (north["started"], north["completed"]) == (6, 5)
    assert (str(north["completion_rate"]), str(north["attendance_rate"])) == ("83%", "83%")
    # A first week outside the dates: nothing to count.
    later = timezone.localdate() + timedelta(weeks=20)
    assert reports.enrolments_attendance_and_completion(later, None, user=north_by) == []


def test_withdrawals_waiting_lists_and_days_to_a_place(world):
    commissioner = world["commissioner"]
    rows = reports.withdrawals(user=commissioner)
    assert rows[-1]["programme"] == "Total" and rows[-1]["withdrawals"] == 2
    withdrawals = _by(rows)
    assert (withdrawals["North"]["before"], withdrawals["North"]["after"]) == (1, 0)
    assert (withdrawals["South"]["after"], withdrawals["South"]["reason"]) == (1, 1)

    waiting = _by(reports.waiting_lists(user=commissioner))
    assert (waiting["North"]["waiting"], waiting["South"]["waiting"]) == (1, 0)
    assert waiting["Total"]["without_place"] == 1
    # The south coordinator's scope has no one waiting: no rows to show.
    assert reports.waiting_lists(user=world["south coordinator"]) == []

    days = _by(reports.days_to_a_place(user=commissioner))
    assert (days["North"]["placed"], days["North"]["not_yet"]) == (6, 2)
    assert days["North"]["median_days"] == 0.0
    assert (days["Total"]["placed"], days["Total"]["not_yet"]) == (7, 2)


def test_the_first_week_is_when_the_service_started(world):
    first = world["north"].sessions.get(week=1).starts_at
    referrals = Referral.objects.filter(locality__slug="north")
    assert reports.enrolment_starts(referrals) == {}  # nothing began yet
    with time_machine.travel(first + timedelta(hours=1)):
        starts = reports.enrolment_starts(referrals)
        assert len(starts) == 6 and set(starts.values()) == {first}
        north = _by(referral_reports.days_to_service_start(user=world["commissioner"]))["North"]
    made = Referral.objects.filter(pk__in=starts).earliest("created_at").created_at
    # All 8 count (a programme outcome starts a service); the 6 from their first week, not
    # from the decision, so the median is the days to that week.
    assert north["contacted"] == 8
    assert north["median_days"] == pytest.approx((first - made).total_seconds() / 86400, abs=0.1)


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_a_permission_per_report_and_the_csv_is_suppressed(world):
    # One sign-in each: an authenticator code is accepted once only.
    clients = {}
    for person, allowed in (
        ("commissioner", True),
        ("north coordinator", True),
        ("facilitator", False),
    ):
        client = clients[person] = Client()
        sign_in_to_staff_area(client, world[person])
        for slug in SLUGS:
            url = reverse("service_report", args=[slug])
            assert client.get(url).status_code == (200 if allowed else 404), (person, slug)
            assert client.get(url, {"export": "csv"}).status_code == (200 if allowed else 404)
    client = clients["commissioner"]
    url = reverse("service_report", args=["programme-enrolments"])
    rows = _csv(client.get(url, {"export": "csv"}))
    assert [row["People who started"] for row in rows] == ["hidden", "fewer than 5", "7"]
