"""A member of the public joins a full session's waiting list, is offered a place and accepts."""

import re

import pytest
from django.core import mail

from courses import services
from courses.models import Audience, Booking
from portal.places import HoldingStatus
from tests.browser.fixtures import assert_no_axe_violations
from tests.courses import helpers
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def full_session(home_page):
    course = helpers.course(home_page, title="Understanding coercive control", topics=["Awareness"])
    session = helpers.session(course, capacity=1)
    holder = UserFactory()
    services.book(
        session=session,
        user=holder,
        audience=Audience.PUBLIC,
        attendees=[services.AttendeeDetails("Holder", holder.email)],
    )
    return session


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit], main input[type=submit]").first.click()
    page.wait_for_load_state()


def test_the_public_join_a_waiting_list_are_offered_a_place_and_accept(page, full_session):
    person = UserFactory(email="pat@example.com", first_name="Pat", last_name="Public")
    sign_in(page, person)

    page.goto("/training/")
    assert page.get_by_text("Full: join the waiting list").first.is_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=re.compile("Join the waiting list")).first.click()
    assert page.locator("h1").inner_text() == "Join the waiting list"
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Join the waiting list").click()
    assert page.locator("h1").inner_text() == "You are on the waiting list"
    assert_no_axe_violations(page)

    waiting = Booking.objects.get(booked_by=person)
    holder_booking = Booking.objects.exclude(pk=waiting.pk).get()
    services.cancel_booking(holder_booking, by=holder_booking.booked_by)
    [offer_email] = [
        m for m in mail.outbox if m.to == [person.email] and "place is free" in m.subject
    ]
    link = re.search(r"(/training/offers/[^/\s]+/)", offer_email.body).group(1)

    page.goto(link)
    assert page.locator("h1").inner_text() == "Places are free for you"
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Accept the place").click()
    assert page.locator("h1").inner_text() == "Booking confirmed"
    assert_no_axe_violations(page)
    waiting.refresh_from_db()
    assert waiting.status == HoldingStatus.CONFIRMED

    page.goto(link)
    assert page.locator("h1").inner_text() == "This offer is not available"
    assert page.get_by_text("already been used").is_visible()

    page.goto("/accounts/profile/")
    assert page.get_by_role("heading", name="My bookings").is_visible()
    assert_no_axe_violations(page)


def test_a_bad_booking_shows_a_clear_message(page, full_session):
    from courses.models import Session

    person = UserFactory()
    sign_in(page, person)
    Session.objects.filter(pk=full_session.pk).update(status=Session.Status.CANCELLED)
    page.goto(f"/training/sessions/{full_session.pk}/book/")
    assert page.get_by_text("This session has been cancelled.").is_visible()
    assert_no_axe_violations(page)
