"""Referrals in the staff area: the scope matrix over every referral URL, and triage as a
coordinator does it (the plan first, only safe channels, the next safe window named)."""

import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from portal.models import AuditEvent
from referrals import services
from referrals.models import Outcome, Referral, Status
from tests.factories import UserFactory
from tests.referrals import factories
from tests.staff import sign_in_to_staff_area

SECRET = "Quinn Confidential"
PEOPLE = [
    "superuser",
    "north coordinator",
    "south coordinator",
    "allocated worker",
    "unallocated worker",
    "commissioner",
    "trainer",
]


def urls(pk: int) -> dict[str, tuple[str, str, dict]]:
    return {
        "detail": ("get", reverse("referrals_detail", args=[pk]), {}),
        "attempt": (
            "post",
            reverse("referrals_attempt", args=[pk]),
            {"channel": "phone_call", "outcome": "no_answer"},
        ),
        "outcome": (
            "post",
            reverse("referrals_decide", args=[pk]),
            {"outcome": Outcome.DROP_IN},
        ),
        "handover": (
            "post",
            reverse("referrals_handover", args=[pk]),
            {"locality": "", "reason": "x"},
        ),
        "note": ("post", reverse("referrals_note", args=[pk]), {"text": "A note"}),
        "close": ("post", reverse("referrals_close", args=[pk]), {"closure": "declined"}),
        "review": ("post", reverse("referrals_review", args=[pk]), {}),
        # Subject access and erasure (the erasure itself: tests/referrals/test_subject_access).
        "person": ("get", reverse("referrals_subject_request", args=[pk]), {}),
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """A North referral allocated to a worker, and one signed-in client per person."""
    with django_db_blocker.unblock(), transaction.atomic():
        people = {
            "superuser": UserFactory(is_superuser=True, is_staff=True),
            "north coordinator": UserFactory(roles=["Coordinator"], localities=["north"]),
            "south coordinator": UserFactory(roles=["Coordinator"], localities=["south"]),
            "allocated worker": UserFactory(roles=["Community worker"], localities=["north"]),
            "unallocated worker": UserFactory(roles=["Community worker"], localities=["north"]),
            "commissioner": UserFactory(roles=["Commissioner"], localities=["north"]),
            "trainer": UserFactory(roles=["Trainer"], localities=["north"]),
        }
        referral = factories.referral(
            name=SECRET,
            details={"consent_given": False, "lawful_basis": "Safeguarding"},
            plan={"safe_days": [0, 1, 2, 3, 4], "safe_windows": [["09:00", "17:00"]]},
        )
        services.decide(
            referral,
            by=people["north coordinator"],
            outcome=Outcome.COMMUNITY_WORKER,
            worker=people["allocated worker"],
        )
        clients = {}
        for name, user in people.items():
            clients[name] = Client()
            sign_in_to_staff_area(clients[name], user)
        yield {"people": people, "clients": clients, "referral": referral}
        transaction.set_rollback(True)


# Which person may use which URL of the referral (everyone else: 404).
ALLOWED = {
    "superuser": {"detail", "attempt", "outcome", "handover", "note", "close", "review", "person"},
    "north coordinator": {
        "detail",
        "attempt",
        "outcome",
        "handover",
        "note",
        "close",
        "review",
        "person",
    },
    "allocated worker": {"detail", "attempt", "note", "close"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("url_name", list(urls(0)))
def test_the_scope_matrix(world, person, url_name):
    method, url, data = urls(world["referral"].pk)[url_name]
    response = getattr(world["clients"][person], method)(url, data)
    if url_name in ALLOWED.get(person, set()):
        assert response.status_code in (200, 302, 400), response.status_code
    else:
        assert response.status_code == 404
        assert SECRET not in response.content.decode()
        # The same answer as for a referral that does not exist.
        missing = urls(world["referral"].pk + 1000)[url_name][1]
        assert getattr(world["clients"][person], method)(missing, data).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", list(urls(0)))
def test_anonymous_people_are_sent_to_sign_in(world, url_name):
    method, url, data = urls(world["referral"].pk)[url_name]
    response = getattr(Client(), method)(url, data)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert SECRET not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("person", PEOPLE)
def test_the_queue_lists_only_what_is_theirs(world, person):
    south = factories.referral("south", name="Sol Southern")
    north = factories.referral("north", name="Nell Northern")
    response = world["clients"][person].get(reverse("referrals_queue"))
    if person in ("commissioner", "trainer", "unallocated worker"):
        assert response.status_code == 404 if person != "unallocated worker" else 200
    if response.status_code != 200:
        return
    html = response.content.decode()
    sees = {ref.reference for ref in (south, north, world["referral"]) if ref.reference in html}
    expected = {
        "superuser": {south.reference, north.reference, world["referral"].reference},
        "north coordinator": {north.reference, world["referral"].reference},
        "south coordinator": {south.reference},
        "allocated worker": {world["referral"].reference},
        "unallocated worker": set(),
    }[person]
    assert sees == expected
    # The queue shows references, not names (whole names: a random token could hold "Sol").
    assert "Nell Northern" not in html and "Sol Southern" not in html


@pytest.mark.django_db
def test_triage_shows_the_plan_first_offers_only_safe_channels_and_names_the_window(world):
    client = world["clients"]["north coordinator"]
    referral = factories.referral(
        name="Tess Triage",
        email="tess@example.com",
        plan={
            "email_is_safe": False,
            "phone_call_is_safe": True,
            "safe_days": [5],
            "safe_windows": [["10:00", "11:00"]],
        },
    )
    audited = AuditEvent.objects.count()
    html = client.get(reverse("referrals_detail", args=[referral.pk])).content.decode()
    assert html.index("Safe-contact plan: read before contacting") < html.index("attempt-form")
    channels = re.findall(r'name="channel"[^>]*value="([^"]+)"', html) or re.findall(
        r'value="([^"]+)"[^>]*name="channel"', html
    )
    assert channels == ["phone_call"]
    assert "The next safe window opens Saturday" in html and "10:00" in html
    assert (
        "<title>Referral" in html
        and "Tess" not in re.search(r"<title>(.*?)</title>", html, re.S)[1]
    )
    # The referral and its plan were each audited as viewed.
    assert AuditEvent.objects.count() == audited + 2
    response = client.post(
        reverse("referrals_attempt", args=[referral.pk]),
        {"channel": "email", "outcome": "no_answer", "note": "typed note"},
    )
    assert response.status_code == 400 and "typed note" in response.content.decode()
    assert not referral.attempts.exists()
    response = client.post(
        reverse("referrals_attempt", args=[referral.pk]),
        {"channel": "phone_call", "outcome": "no_answer"},
    )
    assert response.status_code == 302
    attempt = referral.attempts.get()
    assert attempt.channel == "phone_call"


@pytest.mark.django_db
def test_a_coordinator_allocates_to_a_named_worker_and_sees_earlier_referrals(world):
    client = world["clients"]["north coordinator"]
    worker = world["people"]["unallocated worker"]
    earlier = factories.referral(email="twice@example.com", name="Twice Known")
    referral = factories.referral(email="TWICE@example.com", name="Twice Known")
    html = client.get(reverse("referrals_detail", args=[referral.pk])).content.decode()
    assert 'id="earlier"' in html and earlier.reference in html
    assert 'id="high-risk"' in html  # a repeat within a year: the high-risk route
    fresh = factories.referral(name="Fresh Person")
    url = reverse("referrals_decide", args=[fresh.pk])
    response = client.post(url, {"outcome": Outcome.COMMUNITY_WORKER, "reason": "kept"})
    assert (
        response.status_code == 400 and "Choose the community worker" in response.content.decode()
    )
    response = client.post(url, {"outcome": Outcome.COMMUNITY_WORKER, "worker": worker.pk})
    assert response.status_code == 302
    fresh.refresh_from_db()
    assert fresh.status == Status.ALLOCATED and fresh.allocated_to == worker
    note = world["clients"]["unallocated worker"].post(
        reverse("referrals_note", args=[fresh.pk]), {"text": "First visit booked"}
    )
    assert note.status_code == 302 and fresh.notes.get().text == "First visit booked"
    assert Referral.objects.filter(allocated_to=worker).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("person", ["north coordinator", "south coordinator"])
def test_a_referrals_plan_is_not_in_the_plans_screens_but_for_superusers(world, person):
    plan = world["referral"].plan
    client = world["clients"][person]
    listing = client.get(reverse("safe_contact_plans:index"))
    assert listing.status_code == 200 and SECRET not in listing.content.decode()
    for view in ("inspect", "edit"):
        response = client.get(reverse(f"safe_contact_plans:{view}", args=[plan.pk]))
        assert response.status_code == 404 and SECRET not in response.content.decode()
    listing = world["clients"]["superuser"].get(reverse("safe_contact_plans:index"))
    assert SECRET in listing.content.decode()
