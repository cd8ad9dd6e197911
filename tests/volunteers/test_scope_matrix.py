"""The scope matrix over every volunteers staff URL: every staff role × an application in
their locality or not. Only volunteer coordinators (and superusers) open applications, and
only those in their localities; anything else is the same 404 as an application that does
not exist, naming none of its people. Made once for the module, rolled back at its end."""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.staff import sign_in_to_staff_area
from tests.volunteers import helpers

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
SECRETS = ("Sam", "Southern", "A private story")


def application_urls(pk: int) -> dict[str, tuple[str, str, dict]]:
    return {
        "detail": ("get", reverse("volunteers_application", args=[pk]), {}),
        "move": (
            "post",
            reverse("volunteers_application_move", args=[pk]),
            {"to_stage": "screening"},
        ),
        "override": (
            "post",
            reverse("volunteers_application_override", args=[pk]),
            {"reason": "Known to us"},
        ),
        "note": ("post", reverse("volunteers_application_note", args=[pk]), {"text": "Hi"}),
        "dbs": (
            "post",
            reverse("volunteers_application_dbs", args=[pk]),
            {
                "level": "basic",
                "certificate_number": "001234567890",
                "issued_on": "2025-01-01",
                "outcome": "clear",
            },
        ),
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
        mine = helpers.submitted(role=roles["drop_in"], locality="north")
        theirs = helpers.submitted(
            UserFactory(first_name="Sam", last_name="Southern"),
            role=roles["office"],
            locality="south",
        )
        clients = {}
        for role, user in staff.items():
            clients[role] = Client()
            sign_in_to_staff_area(clients[role], user)
        yield {"staff": staff, "clients": clients, "mine": mine, "theirs": theirs}
        transaction.set_rollback(True)


def _ask(client, pk, name):
    method, url, data = application_urls(pk)[name]
    return getattr(client, method)(url, data)


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(application_urls(1)))
@pytest.mark.parametrize("role", ROLES)
def test_not_theirs_is_a_404_that_reveals_nothing(world, role, name):
    client = world["clients"][role]
    mine, theirs = world["mine"], world["theirs"]
    assigned = _ask(client, mine.pk, name)
    unassigned = _ask(client, theirs.pk, name)
    missing = _ask(client, theirs.pk + 1000, name)
    if role == "Superuser":
        assert unassigned.status_code == assigned.status_code in (200, 302), name
        return
    body = unassigned.content.decode(errors="replace")
    for secret in SECRETS:
        assert secret not in body, (role, name)
    assert unassigned.status_code == missing.status_code == 404, (role, name)
    if role == "Volunteer coordinator":
        assert assigned.status_code in (200, 302), name
    else:
        assert assigned.status_code == 404, (role, name)
    theirs.refresh_from_db()
    assert theirs.stage == "applied" and not theirs.notes.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_list_shows_only_theirs(world, role):
    response = world["clients"][role].get(reverse("volunteers_applications"))
    mine, theirs = world["mine"], world["theirs"]
    if role not in ("Superuser", "Volunteer coordinator", "Volunteer coordinator of nowhere"):
        assert response.status_code == 404
        return
    html = response.content.decode()
    assert (theirs.reference in html) == (role == "Superuser")
    assert (mine.reference in html) == (role != "Volunteer coordinator of nowhere")
    assert "Southern" not in html or role == "Superuser"


@pytest.mark.django_db
def test_the_menu_item_is_only_for_those_who_may_open_it(world):
    url = reverse("volunteers_applications")
    for role in ROLES:
        dashboard = world["clients"][role].get(reverse("wagtailadmin_home")).content.decode()
        assert (url in dashboard) == (
            role in ("Superuser", "Volunteer coordinator", "Volunteer coordinator of nowhere")
        ), role


@pytest.mark.django_db
def test_lived_experience_is_shown_only_to_volunteer_coordinators(world):
    mine = world["mine"]
    url = reverse("volunteers_application", args=[mine.pk])
    # Superusers hold every permission, including this one.
    for role in ("Volunteer coordinator", "Superuser"):
        assert "A private story" in world["clients"][role].get(url).content.decode()


@pytest.mark.django_db
def test_a_volunteer_sees_only_their_own_application(world):
    mine, theirs = world["mine"], world["theirs"]
    client = Client()
    client.force_login(mine.user)
    own = client.get(reverse("volunteers:application", args=[mine.pk]))
    other = client.get(reverse("volunteers:application", args=[theirs.pk]))
    assert own.status_code == 200 and other.status_code == 404
    assert "Southern" not in other.content.decode()
    # Nor the staff area's copy of it.
    assert client.get(reverse("volunteers_application", args=[mine.pk])).status_code in (302, 404)
