"""A trainer sees the people of the sessions they are assigned to, and nothing of the others
(a coordinator: those of their localities):
every per-session staff URL answers an unassigned trainer exactly as it answers for a session
that does not exist (404), and the sessions listing leaves the others out."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.models import Page

from courses import selectors
from courses.models import Session
from portal.localities import Locality
from portal.models import AuditEvent
from tests.attendance import factories
from tests.factories import UserFactory
from tests.staff import sign_in_to_staff_area

pytestmark = pytest.mark.django_db

ATTENDEE = ("Ada Attendee", "ada@example.com")


@pytest.fixture
def sessions(db):
    """Two upcoming sessions, each with its own trainer and one confirmed attendee."""
    root = Page.get_first_root_node().add_child(instance=Page(title="Home", slug="home-scope"))
    course = factories.course(root)
    mine, theirs = UserFactory(roles=["Trainer"]), UserFactory(roles=["Trainer"])
    own = factories.session(course, trainers=[mine])
    other = factories.session(course, trainers=[theirs])
    booker = UserFactory()
    factories.booking(own, booker, people=[("Own Attendee", "own@example.com", None)])
    waiting = factories.booking(other, booker, people=[(*ATTENDEE, None)], status="waiting")
    factories.booking(other, booker, people=[("Bea Booked", "bea@example.com", None)])
    return {"trainer": mine, "own": own, "other": other, "waiting": waiting}


def per_session_urls(session, booking) -> dict[str, tuple[str, str]]:
    """Every staff URL that shows or changes one session's people: (method, url)."""
    return {
        "people": ("get", reverse("courses_session_people", args=[session.pk])),
        "attendees.csv": ("get", reverse("courses_attendee_export", args=[session.pk])),
        "offer": ("post", reverse("courses_offer_places", args=[session.pk, booking.pk])),
        "register": ("get", reverse("attendance_register", args=["courses.session", session.pk])),
        "register save": (
            "post",
            reverse("attendance_register", args=["courses.session", session.pk]),
        ),
    }


def test_an_unassigned_trainer_gets_the_same_404_as_for_no_session(client, sessions):
    trainer = sessions["trainer"]
    # Even one trusted to make offers (a permission, not an assignment) is kept to their own.
    trainer.user_permissions.add(Permission.objects.get(codename="change_booking"))
    sign_in_to_staff_area(client, trainer)
    other, waiting = sessions["other"], sessions["waiting"]
    missing = type(other)(pk=other.pk + 1000)
    for name, (method, url) in per_session_urls(other, waiting).items():
        response = getattr(client, method)(url, {"mark_all_present": "1"})
        assert response.status_code == 404, name
        for secret in (*ATTENDEE, "Bea Booked", "bea@example.com", waiting.reference):
            assert secret not in response.text, name
        absent_method, absent_url = per_session_urls(missing, waiting)[name]
        absent = getattr(client, absent_method)(absent_url, {"mark_all_present": "1"})
        assert absent.status_code == response.status_code, name
    assert not AuditEvent.objects.filter(target_id=str(other.pk)).exists()
    waiting.refresh_from_db()
    assert waiting.status == "waiting"


def test_a_trainer_sees_their_own_sessions_people_and_only_their_sessions_listed(client, sessions):
    sign_in_to_staff_area(client, sessions["trainer"])
    own, other = sessions["own"], sessions["other"]
    people = client.get(reverse("courses_session_people", args=[own.pk]))
    assert people.status_code == 200 and "Own Attendee" in people.text
    export = client.get(reverse("courses_attendee_export", args=[own.pk]))
    assert export.status_code == 200 and "own@example.com" in export.content.decode()
    listing = client.get(reverse("course_sessions:index"))
    assert reverse("courses_session_people", args=[own.pk]) in listing.text
    assert reverse("courses_session_people", args=[other.pk]) not in listing.text


def north_coordinator():
    """A coordinator assigned to North, where both sessions are held."""
    north = Locality.objects.get(slug="north")
    Session.objects.update(locality=north)
    return UserFactory(roles=["Coordinator"], localities=["north"])


def test_a_coordinator_sees_every_sessions_people_in_their_locality(client, sessions):
    sign_in_to_staff_area(client, north_coordinator())
    people = client.get(reverse("courses_session_people", args=[sessions["other"].pk]))
    assert people.status_code == 200 and ATTENDEE[0] in people.text


def test_sessions_visible_to_is_the_one_rule(sessions):
    trainer = sessions["trainer"]
    assert list(selectors.sessions_visible_to(trainer)) == [sessions["own"]]
    unassigned = UserFactory(roles=["Coordinator"], localities=[])
    assert not selectors.sessions_visible_to(unassigned).exists()
    coordinator = north_coordinator()
    assert set(selectors.sessions_visible_to(coordinator)) == {sessions["own"], sessions["other"]}
    assert not selectors.sessions_visible_to(UserFactory()).exists()
