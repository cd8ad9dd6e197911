"""A place is in the person's name, never their email address: at booking, on the invite,
the register and the certificate."""

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from courses.models import Attendee
from courses.registers import CourseSessionRegister
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_person_without_a_name_adds_it_before_booking_then_the_place_carries_it(
    client, training_session, django_capture_on_commit_callbacks
):
    user = UserFactory(email="jo@mail.test", first_name="", last_name="")
    client.force_login(user)
    book = reverse("courses:book", args=[training_session.pk])
    response = client.get(book)
    assert response.status_code == 302
    assert response.url == reverse("account_name") + "?next=" + book.replace("/", "%2F")
    page = client.get(response.url)
    assert "Add your name" in page.text and "Add your name before you book" in page.text
    response = client.post(response.url, {"first_name": "Jo", "last_name": "Bloggs"})
    assert response.url == book
    booking_page = client.get(book)
    assert "Jo Bloggs" in booking_page.text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(book, {"audience": "public"})

    attendee = Attendee.objects.get()
    assert attendee.name == "Jo Bloggs"
    [invite] = [m for m in mail.outbox if m.attachments]
    assert invite.body.startswith("Hello Jo Bloggs,")
    ics = Calendar.from_ical(invite.attachments[0][1])
    [event] = ics.walk("VEVENT")
    assert event["ATTENDEE"].params["CN"] == "Jo Bloggs"
    register = CourseSessionRegister()
    assert [p.name for p in register.expected(training_session)] == ["Jo Bloggs"]
    assert register.certificate(training_session, attendee).name == "Jo Bloggs"
    assert "jo@mail.test" not in {p.name for p in register.expected(training_session)}
