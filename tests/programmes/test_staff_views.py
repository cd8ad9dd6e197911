"""The programme staff screens and their scope matrix: every programme URL asked about a
North cohort (and its place and check-in) by anonymous, a participant, another participant,
the facilitator of another cohort, a coordinator of another locality and a commissioner:
a 404 (or the sign-in) that names none of its people, and nothing changed. Its own
facilitator sees the cohort but changes nothing; its coordinator runs it, every look audited.

The world is made once for the module (inside a transaction rolled back at its end)."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.urls import reverse

from portal.attendance.models import AttendanceStatus
from portal.attendance.services import mark
from portal.models import AuditEvent
from portal.places import HoldingStatus
from programmes.models import CheckIn, Cohort, Enrolment
from tests.factories import UserFactory
from tests.programmes.builders import (
    assessed,
    cohort,
    coordinator,
    enrolled,
    enrolled_with_account,
    facilitator,
    programme,
    referred,
)
from tests.staff import sign_in_to_staff_area

SECRET_NAME = "Nora Northern"
OUTSIDERS = [
    "anonymous",
    "participant",
    "another participant",
    "facilitator of another cohort",
    "coordinator of another locality",
    "commissioner",
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        from cms import demo

        home = demo.seed_site()
        toolkit = programme(home)
        north_coordinator = coordinator("north")
        north = cohort(toolkit, "north", venue="Secret Street 1")
        south = cohort(toolkit, "south")
        participant = UserFactory()
        person = referred("north", by=north_coordinator, name=SECRET_NAME)
        place = enrolled(north, person, by=north_coordinator)
        week = north.sessions.get(week=1)
        with time_machine.travel(week.ends_at):
            mark(week, place, AttendanceStatus.ABSENT, by=north_coordinator)
        other = UserFactory()
        enrolled_with_account(south, other)
        enrolled_with_account(north, participant, by=north_coordinator)
        people = {
            "participant": participant,
            "another participant": other,
            "facilitator of another cohort": facilitator(south),
            "coordinator of another locality": coordinator("south"),
            "commissioner": UserFactory(roles=["Commissioner"]),
            "own facilitator": facilitator(north),
            "coordinator": north_coordinator,
        }
        clients = {"anonymous": Client()}
        for role, user in people.items():
            clients[role] = Client()
            if user.groups.exists():
                sign_in_to_staff_area(clients[role], user)
            else:
                clients[role].force_login(user)
        waiting_referral = referred("north", by=north_coordinator)
        assessed(toolkit, waiting_referral, north_coordinator)
        yield {
            "clients": clients,
            "north": north,
            "place": place,
            "check_in": CheckIn.objects.get(enrolment=place),
            "referral": waiting_referral,
        }
        transaction.set_rollback(True)


def _urls(world) -> dict[str, tuple[str, str, dict]]:
    north, place, check_in = world["north"], world["place"], world["check_in"]
    week = north.sessions.get(week=5)
    return {
        "cohorts": ("get", reverse("programmes_cohorts"), {}),
        "cohort": ("get", reverse("programmes_cohort", args=[north.pk]), {}),
        "offer": (
            "post",
            reverse("programmes_offer", args=[north.pk]),
            {"referral": world["referral"].pk},
        ),
        "assess referral": (
            "post",
            reverse("programmes_assess_referral", args=[north.pk]),
            {"referral": world["referral"].pk, "suitable": "no"},
        ),
        "edit": ("post", reverse("programmes_edit_cohort", args=[north.pk]), {"capacity": 1}),
        "cancel cohort": ("post", reverse("programmes_cancel_cohort", args=[north.pk]), {}),
        "cancel week": (
            "post",
            reverse("programmes_move_session", args=[north.pk, week.pk]),
            {"action": "cancel"},
        ),
        "place": ("get", reverse("programmes_enrolment", args=[place.pk]), {}),
        "assess": ("post", reverse("programmes_assess", args=[place.pk]), {"suitable": "no"}),
        "apologies": (
            "post",
            reverse("programmes_staff_apologies", args=[place.pk]),
            {"session": week.pk},
        ),
        "withdraw": ("post", reverse("programmes_staff_withdraw", args=[place.pk]), {}),
        "check-ins": ("get", reverse("programmes_check_ins"), {}),
        "check-in": ("get", reverse("programmes_check_in", args=[check_in.pk]), {}),
        "attempt": (
            "post",
            reverse("programmes_check_in_attempt", args=[check_in.pk]),
            {"channel": "phone_call", "outcome": "spoke"},
        ),
        "register": (
            "get",
            reverse("attendance_register", args=["programmes.programmesession", week.pk]),
            {},
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_nothing_from_any_programme_url(world, who):
    client = world["clients"][who]
    for name, (method, url, data) in _urls(world).items():
        response = getattr(client, method)(url, data)
        body = response.content.decode()
        assert SECRET_NAME not in body and "Secret Street" not in body, name
        if who == "anonymous" or who in ("participant", "another participant"):
            assert response.status_code in (302, 403, 404), name
        elif name in ("cohorts", "check-ins"):
            assert response.status_code in (200, 404), name
        else:
            assert response.status_code == 404, (name, response.status_code)
    place = Enrolment.objects.get(pk=world["place"].pk)
    assert place.status == HoldingStatus.CONFIRMED
    assert not world["north"].sessions.filter(cancelled=True).exists()
    north = Cohort.objects.get(pk=world["north"].pk)
    assert not north.is_cancelled and north.capacity == 10
    assert world["check_in"].attempts.count() == 0
    assert not place.apologies.exists()


@pytest.mark.django_db
def test_its_own_facilitator_sees_the_cohort_and_register_but_runs_nothing(world):
    client = world["clients"]["own facilitator"]
    urls = _urls(world)
    for name in ("cohorts", "cohort", "register"):
        method, url, data = urls[name]
        response = getattr(client, method)(url, data)
        assert response.status_code == 200, name
    assert SECRET_NAME in client.get(urls["cohort"][1]).content.decode()
    for name in (
        "offer",
        "assess referral",
        "cancel week",
        "place",
        "assess",
        "withdraw",
        "check-in",
        "attempt",
    ):
        method, url, data = urls[name]
        assert getattr(client, method)(url, data).status_code == 404, name


@pytest.mark.django_db
def test_its_coordinator_runs_it_with_every_look_audited(world):
    client = world["clients"]["coordinator"]
    urls = _urls(world)
    before = AuditEvent.objects.count()
    html = client.get(urls["cohort"][1]).content.decode()
    assert SECRET_NAME in html and "Secret Street 1" in html
    place = client.get(urls["place"][1]).content.decode()
    assert place.index("Safe-contact plan") < place.index(SECRET_NAME)
    check_in = client.get(urls["check-in"][1]).content.decode()
    assert check_in.index("Safe-contact plan") < check_in.index("When it is safe")
    assert AuditEvent.objects.count() >= before + 4
    method, url, data = urls["offer"]
    response = client.post(url, data)
    assert response.status_code == 302
    offered = Enrolment.objects.get(referral=world["referral"])
    assert offered.status == HoldingStatus.OFFERED
    method, url, data = urls["apologies"]
    assert client.post(url, data).status_code == 302
    assert world["place"].apologies.get().recorded_by is not None
    method, url, data = urls["attempt"]
    assert client.post(url, data).status_code == 302
    assert not CheckIn.objects.get(pk=world["check_in"].pk).is_open


@pytest.mark.django_db
def test_a_closed_programme_is_assessed_from_the_cohort_then_offered(world):
    client = world["clients"]["coordinator"]
    north = world["north"]
    person = referred("north")
    offer = reverse("programmes_offer", args=[north.pk])
    refused = client.post(offer, {"referral": person.pk})
    assert refused.status_code == 400 and "assessment interview" in refused.content.decode()
    recorded = client.post(
        reverse("programmes_assess_referral", args=[north.pk]),
        {"referral": person.pk, "suitable": "yes", "notes": "Ready"},
    )
    assert recorded.status_code == 302
    assert client.post(offer, {"referral": person.pk}).status_code == 302


@pytest.mark.django_db
def test_bad_input_on_staff_forms_is_a_message_next_to_the_field(world):
    client = world["clients"]["coordinator"]
    urls = _urls(world)
    text = "long " * 600
    response = client.post(urls["withdraw"][1], {"reason": text})
    assert response.status_code == 400 and "2000 characters or fewer" in response.content.decode()
    assert text.strip()[:100] in response.content.decode()
    north = world["north"]
    week = north.sessions.get(week=6)
    moved = client.post(
        reverse("programmes_move_session", args=[north.pk, week.pk]),
        {"action": "move", f"move-{week.pk}-starts_at": "2001-01-01T10:00"},
    )
    assert moved.status_code == 400 and "future" in moved.content.decode()
    late = referred("north")
    with time_machine.travel(north.starts_at + timedelta(days=2)):
        response = client.post(urls["offer"][1], {"referral": late.pk})
    assert response.status_code == 400
    assert "first week" in response.content.decode()


@pytest.mark.django_db
def test_the_cohorts_list_costs_the_same_however_many_cohorts(world, django_assert_max_num_queries):
    client = world["clients"]["coordinator"]
    with django_assert_max_num_queries(25):
        html = client.get(reverse("programmes_cohorts")).content.decode()
    assert "2 of 10" in html
    with django_assert_max_num_queries(40):
        client.get(reverse("programmes_cohort", args=[world["north"].pk]))
    with django_assert_max_num_queries(25):
        client.get(reverse("programmes_check_ins"))


@pytest.mark.django_db
def test_a_coordinator_creates_a_cohort_and_changes_its_places(world):
    client = world["clients"]["coordinator"]
    north = world["north"]
    new = client.get(reverse("programmes_new_cohort"))
    assert new.status_code == 200
    created = client.post(
        reverse("programmes_new_cohort"),
        {
            "programme": north.programme.pk,
            "locality": north.locality.pk,
            "venue": "",
            "start_date": "2030-03-04",
            "start_time": "18:00",
            "weeks": "",
            "capacity": "8",
            "creche_places": "2",
        },
    )
    assert created.status_code == 400 and "Give the venue" in created.content.decode()
    edit = reverse("programmes_edit_cohort", args=[north.pk])
    refused = client.post(edit, {"capacity": 1, "creche_places": 0, "venue": "Secret Street 1"})
    assert refused.status_code == 400 and "places are taken" in refused.content.decode()
    changed = client.post(edit, {"capacity": 12, "creche_places": 3, "venue": "Secret Street 1"})
    assert changed.status_code == 302
    north.refresh_from_db()
    assert (north.capacity, north.creche_places) == (12, 3)
    assert not north.facilitators.exists()
