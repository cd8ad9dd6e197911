"""The coordinator's shift screens: the scope matrix over every shift URL (every staff role ×
a shift in their locality or not: anything outside is the same 404 as a missing shift,
naming none of its people), creating weekly shifts, bad input, approving, filling by hand
and the at-risk list."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.places import HoldingStatus
from tests.factories import UserFactory
from tests.staff import sign_in_to_staff_area
from tests.volunteers import helpers
from volunteers.models import Shift, SignUpMode
from volunteers.services import shifts

ROLES = [
    "Superuser",
    "Coordinator",
    "Trainer",
    "Programme facilitator",
    "Volunteer coordinator",
    "Volunteer coordinator of nowhere",
    "Commissioner",
    "Editor",
]


def shift_urls(pk: int, signup_pk: int) -> dict[str, tuple[str, str, dict]]:
    return {
        "detail": ("get", reverse("volunteers_shift", args=[pk]), {}),
        "edit": ("post", reverse("volunteers_shift_edit", args=[pk]), {"capacity": "x"}),
        "fill": ("post", reverse("volunteers_shift_fill", args=[pk]), {"application": ""}),
        "answer": (
            "post",
            reverse("volunteers_shift_answer", args=[pk, signup_pk]),
            {"answer": "neither"},
        ),
        "cancel": ("post", reverse("volunteers_shift_cancel", args=[pk]), {}),
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        roles = helpers.roles()
        staff = {}
        for role in ROLES:
            if role == "Superuser":
                staff[role] = UserFactory(is_superuser=True, is_staff=True)
            elif role == "Volunteer coordinator of nowhere":
                staff[role] = UserFactory(roles=["Volunteer coordinator"], localities=[])
            else:
                staff[role] = UserFactory(roles=[role], localities=["north"])
        setup = helpers.coordinator(("north", "south"))
        mine = helpers.shift(roles["drop_in"], sign_up=SignUpMode.APPROVAL)
        theirs = helpers.shift(roles["office"], locality="south", sign_up=SignUpMode.APPROVAL)
        northern = helpers.cleared(role=roles["drop_in"], coordinator=setup)
        southern = helpers.cleared(
            role=roles["office"],
            coordinator=setup,
            locality="south",
            user=UserFactory(first_name="Sam", last_name="Southern"),
        )
        signups = {
            "mine": shifts.sign_up(mine, northern),
            "theirs": shifts.sign_up(theirs, southern),
        }
        clients = {}
        for role, user in staff.items():
            clients[role] = Client()
            sign_in_to_staff_area(clients[role], user)
        yield {
            "clients": clients,
            "mine": mine,
            "theirs": theirs,
            "signups": signups,
            "roles": roles,
            "staff": staff,
        }
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(shift_urls(1, 1)))
@pytest.mark.parametrize("role", ROLES)
def test_a_shift_not_theirs_is_a_404_that_reveals_nothing(world, role, name):
    client = world["clients"][role]

    def ask(shift, signup_pk):
        method, url, data = shift_urls(shift.pk if shift else 999999, signup_pk)[name]
        return getattr(client, method)(url, data)

    assigned = ask(world["mine"], world["signups"]["mine"].pk)
    unassigned = ask(world["theirs"], world["signups"]["theirs"].pk)
    missing = ask(None, 1)
    if role == "Superuser":
        assert unassigned.status_code in (200, 302, 400), name
        return
    assert "Southern" not in unassigned.content.decode(errors="replace")
    assert unassigned.status_code == missing.status_code == 404, (role, name)
    if role == "Volunteer coordinator":
        assert assigned.status_code in (200, 302, 400), name
    else:
        assert assigned.status_code == 404, (role, name)
    world["theirs"].refresh_from_db()
    assert not world["theirs"].is_cancelled


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_list_shows_only_their_shifts(world, role):
    response = world["clients"][role].get(reverse("volunteers_shifts"))
    if role not in ("Superuser", "Volunteer coordinator", "Volunteer coordinator of nowhere"):
        assert response.status_code == 404
        return
    html = response.content.decode()
    assert (reverse("volunteers_shift", args=[world["theirs"].pk]) in html) == (role == "Superuser")
    assert (reverse("volunteers_shift", args=[world["mine"].pk]) in html) == (
        role != "Volunteer coordinator of nowhere"
    )


@pytest.mark.django_db
def test_a_coordinator_adds_weekly_shifts_and_bad_input_is_named(world):
    client = world["clients"]["Volunteer coordinator"]
    day = timezone.localdate() + timedelta(days=10)
    data = {
        "role": world["roles"]["drop_in"].pk,
        "locality": world["mine"].locality_id,
        "day": day.isoformat(),
        "starts": "10:00",
        "ends": "09:00",
        "capacity": "0",
        "sign_up": "instant",
        "closes_hours_before": "24",
        "weeks": "4",
    }
    refused = client.post(reverse("volunteers_shift_add"), data)
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "A shift needs at least 1 place." in body
    south = world["theirs"].locality_id
    elsewhere = client.post(reverse("volunteers_shift_add"), {**data, "locality": south})
    assert elsewhere.status_code == 400
    before = Shift.objects.count()
    made = client.post(reverse("volunteers_shift_add"), {**data, "ends": "12:00", "capacity": "2"})
    assert made.status_code == 302
    added = Shift.objects.order_by("-pk")[:4]
    assert Shift.objects.count() == before + 4
    assert {timezone.localtime(s.starts_at).hour for s in added} == {10}


@pytest.mark.django_db
def test_approving_filling_and_the_at_risk_list(world):
    client = world["clients"]["Volunteer coordinator"]
    mine, signup = world["mine"], world["signups"]["mine"]
    page = client.get(reverse("volunteers_shifts")).content.decode()
    assert "At risk" in page and str(mine) in page
    answer = reverse("volunteers_shift_answer", args=[mine.pk, signup.pk])
    assert client.post(answer, {"answer": "approve"}).status_code == 302
    signup.refresh_from_db()
    assert signup.status == HoldingStatus.CONFIRMED
    other = helpers.cleared(role=world["roles"]["drop_in"], coordinator=world["staff"]["Superuser"])
    fill = reverse("volunteers_shift_fill", args=[mine.pk])
    assert client.post(fill, {"application": other.pk}).status_code == 302
    assert mine.places_taken() == 2
    assert (
        str(mine)
        not in client.get(reverse("volunteers_shifts")).content.decode().split("Upcoming shifts")[0]
    )
    full = client.post(fill, {"application": world["signups"]["theirs"].application_id})
    assert full.status_code == 400 and "Choose a volunteer" in full.content.decode()
