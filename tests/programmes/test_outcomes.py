"""Outcome questions for enrolments (portal.outcomes): the participant answers from their
own page at the start and at the end (completed or left), staff enter paper forms in scope
(a 404 that reveals nothing to anyone else), and completion shown from the register."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from portal.attendance.models import AttendanceStatus
from portal.attendance.services import mark
from portal.audit import AuditEvent
from portal.outcomes.models import EnteredBy, Response
from portal.outcomes.registry import subject_for
from programmes import services
from programmes.outcomes import EnrolmentOutcomes
from tests.factories import UserFactory
from tests.outcomes.conftest import form_data
from tests.programmes.builders import (
    cohort,
    coordinator,
    enrolled,
    enrolled_with_account,
    facilitator,
)
from tests.staff import sign_in_to_staff_area

pytestmark = pytest.mark.django_db

SECRET_NAME = "Olive Outcome"


def _own(enrolment, occasion="start"):
    return reverse("programmes_questions", args=[enrolment.pk, occasion])


def _staff(enrolment, occasion="start"):
    return reverse("programmes_staff_questions", args=[enrolment.pk, occasion])


def _attend(enrolment, weeks, by):
    for week in weeks:
        with time_machine.travel(week.starts_at + timedelta(minutes=1)):
            mark(week, enrolment, AttendanceStatus.PRESENT, by=by)


def _staff_client(user) -> Client:
    client = Client()
    sign_in_to_staff_area(client, user)
    return client


@pytest.fixture
def mine(toolkit):
    user = UserFactory(plan={"service_may_be_named": False})
    by = coordinator("north")
    return user, enrolled_with_account(cohort(toolkit), user, by=by, name=SECRET_NAME), by


def test_enrolments_are_the_registered_subject(mine):
    _, enrolment, _ = mine
    assert isinstance(subject_for(enrolment), EnrolmentOutcomes)
    groups = subject_for(enrolment).groups(type(enrolment).objects.filter(pk=enrolment.pk))
    assert groups == {enrolment.pk: ("Recovery Toolkit", "North")}


def test_the_participant_answers_at_the_start_from_their_page_discreetly(client, mine):
    user, enrolment, _ = mine
    client.force_login(user)
    page = client.get(f"/appointments/mine/{enrolment.pk}/").content.decode()
    assert f'href="{_own(enrolment)}"' in page and "Answer a few questions" in page
    assert _own(enrolment, "end") not in page
    questions = client.get(_own(enrolment))
    html = questions.content.decode()
    assert questions.status_code == 200 and "<title>A few questions</title>" in html
    assert "Recovery Toolkit" not in html
    assert client.get(_own(enrolment, "end")).status_code == 404
    saved = client.post(_own(enrolment), form_data())
    assert saved.status_code == 302 and saved["Location"] == f"/appointments/mine/{enrolment.pk}/"
    assert {(r.occasion, r.entered_by) for r in Response.objects.all()} == {
        ("start", EnteredBy.PERSON)
    }


def test_the_end_questions_open_once_they_leave_and_lead_back_to_their_account(client, mine):
    user, enrolment, _ = mine
    client.force_login(user)
    services.withdraw(enrolment, reason="")
    account = client.get(reverse("my_account")).content.decode()
    assert f'href="{_own(enrolment, "end")}"' in account and "Recovery Toolkit" not in account
    assert client.get(_own(enrolment, "end")).status_code == 200
    saved = client.post(_own(enrolment, "end"), form_data())
    assert saved["Location"] == reverse("my_account")
    assert Response.objects.filter(occasion="end").count() == 3
    assert _own(enrolment, "end") not in client.get(reverse("my_account")).content.decode()


def test_the_end_questions_open_on_completion_and_the_page_shows_it(client, mine):
    user, enrolment, by = mine
    weeks = list(enrolment.cohort.sessions.order_by("week"))
    _attend(enrolment, weeks[:9], by)
    with time_machine.travel(weeks[8].ends_at):
        client.force_login(user)
        page = client.get(f"/appointments/mine/{enrolment.pk}/").content.decode()
        assert "Completed: you came to 9 of the 9 weeks so far" in page
        assert f'href="{_own(enrolment, "end")}"' in page
        assert client.get(_own(enrolment, "end")).status_code == 200


def test_no_one_else_reaches_a_participants_questions(client, mine, toolkit):
    _, enrolment, _ = mine
    other = UserFactory()
    enrolled_with_account(cohort(toolkit, "south"), other)
    client.force_login(other)
    # "later" is no occasion: it matches no URL (the strict converter), so it is spelt out.
    for url in (_own(enrolment), _own(enrolment, "end"), _own(enrolment).replace("start", "later")):
        response = client.get(url)
        assert response.status_code == 404 and SECRET_NAME not in response.content.decode()
    assert client.post(_own(enrolment), form_data()).status_code == 404
    client.logout()
    assert client.get(_own(enrolment)).status_code == 302
    assert not Response.objects.exists()


def test_staff_outside_the_cohort_get_a_404_that_names_no_one(mine, toolkit):
    _, enrolment, _ = mine
    south = cohort(toolkit, "south")
    for user in (
        facilitator(south),
        coordinator("south"),
        UserFactory(roles=["Commissioner"]),
    ):
        client = _staff_client(user)
        for occasion in ("start", "end"):
            response = client.get(_staff(enrolment, occasion))
            assert response.status_code == 404 and SECRET_NAME not in response.content.decode()
        assert client.post(_staff(enrolment), form_data(answered_on="1/1/2026")).status_code == 404
    assert not Response.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()


def test_its_facilitator_enters_a_paper_form_from_the_cohort_screen_audited(mine):
    _, enrolment, _ = mine
    own = facilitator(enrolment.cohort)
    client = _staff_client(own)
    cohort_page = client.get(reverse("programmes_cohort", args=[enrolment.cohort_id]))
    assert f'href="{_staff(enrolment)}"' in cohort_page.content.decode()
    form = client.get(_staff(enrolment))
    assert form.status_code == 200 and SECRET_NAME in form.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, actor=own, target_id=str(enrolment.pk)
    ).exists()
    assert client.get(_staff(enrolment, "end")).status_code == 404  # not yet
    saved = client.post(_staff(enrolment), form_data(answered_on="1/1/2026"))
    assert saved.status_code == 302
    assert {(r.entered_by, r.recorded_by) for r in Response.objects.all()} == {
        (EnteredBy.STAFF, own)
    }


def test_its_coordinator_finds_the_paper_form_on_the_place_screen(mine):
    _, enrolment, by = mine
    html = _staff_client(by).get(reverse("programmes_enrolment", args=[enrolment.pk]))
    assert f'href="{_staff(enrolment)}"' in html.content.decode()


def test_completion_shows_on_the_staff_screens(toolkit):
    by = coordinator("north")
    enrolment = enrolled(cohort(toolkit), by=by)
    weeks = list(enrolment.cohort.sessions.order_by("week"))
    _attend(enrolment, weeks[:2], by)
    with time_machine.travel(weeks[2].starts_at + timedelta(minutes=5)):
        mark(weeks[2], enrolment, AttendanceStatus.ABSENT, by=by)
        client = _staff_client(by)
        cohort_html = client.get(reverse("programmes_cohort", args=[enrolment.cohort_id]))
        place_html = client.get(reverse("programmes_enrolment", args=[enrolment.pk]))
    for html in (cohort_html.content.decode(), place_html.content.decode()):
        assert "2 of 3 weeks held attended" in html and "Completed" not in html


def test_a_rolling_programme_shows_the_topics_left(freedom, client):
    user = UserFactory(plan={"service_may_be_named": False})
    by = coordinator("north")
    enrolment = enrolled_with_account(cohort(freedom), user, by=by)
    weeks = list(enrolment.cohort.sessions.order_by("week"))
    _attend(enrolment, [weeks[0], weeks[2]], by)
    with time_machine.travel(weeks[2].ends_at):
        staff = _staff_client(by).get(reverse("programmes_cohort", args=[enrolment.cohort_id]))
        client.force_login(user)
        own = client.get(f"/appointments/mine/{enrolment.pk}/").content.decode()
    assert "topics left: Topic 2, Topic 4, Topic 5," in staff.content.decode()
    assert "you came to 2 of the 3 weeks so far; 10 topics still to cover" in own
    assert "Topic 2" not in own  # the topics' names could say what the group is about
