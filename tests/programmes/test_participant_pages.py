"""The participant's pages: the answer link, their own appointments, apologies and leaving;
someone else's page is a 404 that reveals nothing; bad input gets a message, nothing lost."""

from datetime import timedelta

import pytest
import time_machine

from portal.places import HoldingStatus
from programmes import services
from programmes.models import Apology
from tests.factories import UserFactory
from tests.programmes.builders import (
    assessed,
    cohort,
    coordinator,
    enrolled_with_account,
    offer_token,
    referred,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(toolkit):
    user = UserFactory(first_name="Sam", plan={"service_may_be_named": False})
    group = cohort(toolkit, venue="Hope Centre")
    group.facilitators.add(UserFactory(first_name="Fay", last_name="Hidden"))
    return user, enrolled_with_account(group, user)


def test_the_answer_link_accepts_once_without_an_account_and_names_nothing(client, toolkit):
    by = coordinator("north")
    person = referred(by=by, plan={"service_may_be_named": False})
    assessed(toolkit, person, by)
    enrolment = services.offer_place(cohort(toolkit), referral=person, by=by)
    url = f"/appointments/answer/{offer_token(enrolment)}/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<title>Your appointment</title>" in html
    assert "Recovery Toolkit" not in html and "Room 2" not in html
    assert client.post(url, {"answer": "maybe"}).status_code == 400
    assert client.post(url, {"answer": "accept"}).status_code == 200
    enrolment.refresh_from_db()
    assert enrolment.status == HoldingStatus.CONFIRMED
    assert "has been used or has expired" in client.get(url).content.decode()
    assert client.get("/appointments/answer/not-a-token/").status_code == 404


def test_their_page_shows_dates_first_names_and_no_venue_unless_chosen(client, mine):
    user, enrolment = mine
    client.force_login(user)
    html = client.get(f"/appointments/mine/{enrolment.pk}/").content.decode()
    assert "Fay" in html and "Hidden" not in html
    assert "Hope Centre" not in html and "Recovery Toolkit" not in html
    assert html.count("<li>") >= 12
    account = client.get("/accounts/profile/").content.decode()
    assert f"/appointments/mine/{enrolment.pk}/" in account


@pytest.mark.parametrize("who", ["anonymous", "another participant", "facilitator", "commissioner"])
def test_no_one_else_sees_a_participants_page(client, mine, who):
    _, enrolment = mine
    if who == "another participant":
        other = UserFactory()
        enrolled_with_account(cohort(enrolment.cohort.programme), other)
        client.force_login(other)
    elif who == "facilitator":
        client.force_login(enrolment.cohort.facilitators.get())
    elif who == "commissioner":
        client.force_login(UserFactory(roles=["Commissioner"]))
    for url in (
        f"/appointments/mine/{enrolment.pk}/",
        f"/appointments/mine/{enrolment.pk}/apologies/",
        f"/appointments/mine/{enrolment.pk}/withdraw/",
    ):
        post = url.endswith(("/apologies/", "/withdraw/"))
        response = client.post(url, {"reason": "x"}) if post else client.get(url)
        if who == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 404
            assert b"Hope Centre" not in response.content
    enrolment.refresh_from_db()
    assert enrolment.status == HoldingStatus.CONFIRMED


def test_apologies_for_a_past_week_are_refused_next_to_the_field(client, mine):
    user, enrolment = mine
    client.force_login(user)
    week = enrolment.cohort.sessions.get(week=2)
    with time_machine.travel(week.starts_at + timedelta(hours=3)):
        response = client.post(
            f"/appointments/mine/{enrolment.pk}/apologies/",
            {"session": week.pk, "reason": "Kept words"},
        )
    assert response.status_code == 400
    html = response.content.decode()
    assert "already started" in html and "Kept words" in html
    assert not Apology.objects.exists()
    ok = client.post(
        f"/appointments/mine/{enrolment.pk}/apologies/",
        {"session": enrolment.cohort.sessions.get(week=3).pk, "reason": ""},
    )
    assert ok.status_code == 302 and Apology.objects.count() == 1


def test_an_enormous_reason_gets_a_message_and_nothing_is_lost(client, mine):
    user, enrolment = mine
    client.force_login(user)
    text = "word " * 1000
    response = client.post(f"/appointments/mine/{enrolment.pk}/withdraw/", {"reason": text})
    assert response.status_code == 400
    assert "2000 characters or fewer" in response.content.decode()
    assert text.strip()[:200] in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == HoldingStatus.CONFIRMED
    left = client.post(f"/appointments/mine/{enrolment.pk}/withdraw/", {"reason": "Moving"})
    assert left.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == HoldingStatus.CANCELLED and enrolment.withdrawal_reason == "Moving"
