"""The volunteering reports: their rows with small numbers suppressed, scoped to the
requesting user (a coordinator counts their localities, a commissioner the service), and a
permission per report (Volunteer coordinators and Commissioners; anyone else a 404)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.localities import Locality
from portal.reports import registry
from portal.reports.suppression import FEWER_THAN_5, HIDDEN
from tests.attendance.conftest import staff_client  # noqa: F401 - signs staff in
from tests.factories import UserFactory
from tests.volunteers import helpers
from volunteers.models import EqualityMonitoring

pytestmark = pytest.mark.django_db
SLUGS = [
    "volunteer-applications-by-stage",
    "volunteer-days-to-active",
    "volunteers-by-locality-and-role",
    "volunteer-dbs-renewals",
    "volunteer-equality-monitoring",
]


def _issued_for_renewal_next_month() -> date:
    """A DBS issue date whose renewal (three years on) falls in the middle of next month."""
    today = timezone.localdate()
    next_month = (today.replace(day=1) + timedelta(days=40)).replace(day=15)
    return next_month.replace(year=next_month.year - 3)


@pytest.fixture
def volunteering(roles):
    """Six active drop-in volunteers in North (two on the Update Service), one active office
    volunteer in South, two North applications just sent; equality answers from seven."""
    north_coordinator = helpers.coordinator(("north",))
    south_coordinator = helpers.coordinator(("south",))
    issued = _issued_for_renewal_next_month()
    for i in range(6):
        helpers.active(
            role=roles["drop_in"],
            coordinator=north_coordinator,
            dbs_issued_on=issued,
            update_service=i < 2,
        )
    helpers.active(
        role=roles["office"],
        coordinator=south_coordinator,
        locality="south",
        dbs_issued_on=issued,
    )
    for _ in range(2):
        helpers.submitted(role=roles["drop_in"])
    north, south = Locality.objects.get(slug="north"), Locality.objects.get(slug="south")
    month = timezone.localdate().replace(day=1)
    for i in range(6):
        EqualityMonitoring.objects.create(
            month=month,
            locality=north,
            age_band="25_44",
            gender=" woman " if i < 5 else "Nonbinary",
        )
    EqualityMonitoring.objects.create(month=month, locality=south, age_band="under_25")
    return {"north": north_coordinator, "south": south_coordinator}


def _rows(slug, user):
    return registry._reports[slug].shown_rows(None, None, user=user)


def _by(rows, key):
    return {row[key]: row for row in rows}


def test_applications_by_stage_with_suppression_and_scope(volunteering):
    commissioner = UserFactory(roles=["Commissioner"])
    rows = _by(_rows("volunteer-applications-by-stage", commissioner), "stage")
    assert rows["Applied"]["applications"] == FEWER_THAN_5
    assert rows["Applied"]["average_days"] == HIDDEN  # worked out from a hidden count
    # Else the two just applied could be worked out from the total.
    assert rows["Active"]["applications"] == HIDDEN
    assert rows["Withdrawn"]["applications"] == 0
    assert rows["Total"]["applications"] == 9
    assert rows["Total"]["overdue"] == 0
    # A North coordinator counts North's applications only.
    north = _by(_rows("volunteer-applications-by-stage", volunteering["north"]), "stage")
    assert north["Total"]["applications"] == 8
    assert (
        _by(
            registry._reports["volunteer-applications-by-stage"].rows(
                None, None, user=volunteering["north"]
            ),
            "stage",
        )["Active"]["applications"]
        == 6
    )


def test_days_to_active(volunteering):
    rows = _rows("volunteer-days-to-active", UserFactory(roles=["Commissioner"]))
    assert rows[-1]["month"] == "Total" and rows[-1]["volunteers"] == 7
    assert rows[-1]["median_days"] == 0  # made active on the day they applied
    south = _rows("volunteer-days-to-active", volunteering["south"])
    assert south[-1]["volunteers"] == FEWER_THAN_5 and south[-1]["average_days"] == HIDDEN


def test_active_volunteers_by_locality_and_role(volunteering):
    rows = _rows("volunteers-by-locality-and-role", UserFactory(roles=["Commissioner"]))
    assert [(row["locality"], row["role"], row["volunteers"]) for row in rows] == [
        ("North", "Drop-in support volunteer", 6),
        ("South", "Office support volunteer", FEWER_THAN_5),
        ("Total", "", 7),
    ]
    north = _rows("volunteers-by-locality-and-role", volunteering["north"])
    assert [row["locality"] for row in north] == ["North", "Total"]


def test_dbs_renewals_due(volunteering):
    rows = _rows("volunteer-dbs-renewals", UserFactory(roles=["Commissioner"]))
    due = _issued_for_renewal_next_month()
    month = due.replace(year=due.year + 3).strftime("%B %Y")
    assert [row["month"] for row in rows] == [month, "Total"]
    next_month = rows[0]
    assert next_month["renewals"] == 7
    assert next_month["on_update_service"] == FEWER_THAN_5
    assert next_month["not_on_update_service"] == HIDDEN  # or the 2 could be worked out
    assert rows[-1]["renewals"] == 7
    north = _rows("volunteer-dbs-renewals", volunteering["north"])
    assert north[0]["renewals"] == 6


def test_dbs_renewals_show_those_lapsed_first(roles, coordinator):
    today = timezone.localdate()
    for _ in range(5):
        helpers.active(
            role=roles["drop_in"],
            coordinator=coordinator,
            dbs_issued_on=today.replace(year=today.year - 3) - timedelta(days=3),
        )
    rows = _rows("volunteer-dbs-renewals", coordinator)
    assert [(row["month"], row["renewals"]) for row in rows] == [
        ("Lapsed already", 5),
        ("Total", 5),
    ]


def test_equality_answers_only_in_aggregate(volunteering):
    rows = _rows("volunteer-equality-monitoring", UserFactory(roles=["Commissioner"]))
    age = {row["answer"]: row["people"] for row in rows if row["question"] == "Age"}
    # One under 25 is fewer than 5; 25 to 44 is hidden with it, or it could be worked out
    # from all the forms.
    assert age == {"25 to 44": HIDDEN, "Under 25": FEWER_THAN_5, "All forms": 7}
    gender = {row["answer"]: row["people"] for row in rows if row["question"] == "Gender"}
    # Typed answers fewer than 5 gave are counted as "other", never shown in their words.
    assert "Nonbinary" not in str(rows)
    other = "Other answers (each given by fewer than 5)"
    assert gender == {
        "Woman": HIDDEN,
        other: FEWER_THAN_5,
        "Not answered": FEWER_THAN_5,
        "All forms": 7,
    }
    north = _rows("volunteer-equality-monitoring", volunteering["north"])
    assert {row["people"] for row in north if row["answer"] == "All forms"} == {6}


def test_coordinators_assigned_nowhere_and_other_roles_count_nothing(volunteering):
    for user in (
        helpers.coordinator(()),
        UserFactory(roles=["Coordinator"], localities=["north"]),
    ):
        for slug in SLUGS:
            assert _rows(slug, user) == [], slug


@pytest.mark.parametrize("role", ["Volunteer coordinator", "Commissioner"])
def test_volunteer_coordinators_and_commissioners_see_every_report(
    staff_client,  # noqa: F811
    volunteering,
    role,
):
    client = staff_client(UserFactory(roles=[role], localities=["north"]))
    index = client.get(reverse("service_reports")).text
    for slug in SLUGS:
        url = reverse("service_report", args=[slug])
        assert url in index
        assert client.get(url).status_code == 200, slug
    csv = client.get(reverse("service_report", args=[SLUGS[0]]), {"export": "csv"})
    assert csv.status_code == 200
    assert "fewer than 5" in b"".join(csv.streaming_content).decode()


def test_other_staff_get_a_404(staff_client, volunteering):  # noqa: F811
    client = staff_client(UserFactory(roles=["Coordinator"], localities=["north"]))
    for slug in SLUGS:
        assert client.get(reverse("service_report", args=[slug])).status_code == 404, slug


def test_each_report_is_a_few_queries_whatever_the_rows(
    volunteering, django_assert_max_num_queries
):
    coordinator = volunteering["north"]
    for slug in SLUGS:
        with django_assert_max_num_queries(6):
            _rows(slug, coordinator)
