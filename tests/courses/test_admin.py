from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import Audience, Booking, Session
from portal.places import HoldingStatus
from tests.factories import UserFactory
from tests.staff import sign_in_to_staff_area

pytestmark = pytest.mark.django_db


def staff(client, role):
    user = UserFactory(roles=[role])
    sign_in_to_staff_area(client, user)
    return user


def book(session, email):
    user = UserFactory(email=email)
    return services.book(
        session=session,
        user=user,
        audience=Audience.PUBLIC,
        attendees=[services.AttendeeDetails(f"=cmd {email}", email)],
    )


def test_a_coordinator_sees_how_full_sessions_are_offers_places_and_exports(
    client, training_session
):
    staff(client, "Coordinator")
    holders = [book(training_session, f"h{n}@example.com") for n in range(3)]
    waiting = book(training_session, "w@example.com")
    listing = client.get(reverse("course_sessions:index"))
    assert listing.status_code == 200 and "3 of 3" in listing.text
    people = client.get(reverse("courses_session_people", args=[training_session.pk]))
    assert waiting.reference in people.text
    offer = reverse("courses_offer_places", args=[training_session.pk, waiting.pk])
    client.post(offer)
    waiting.refresh_from_db()
    assert waiting.status == HoldingStatus.WAITING  # no free place to offer
    Booking.objects.filter(pk=holders[0].pk).update(status=HoldingStatus.CANCELLED)
    client.post(offer)
    waiting.refresh_from_db()
    assert waiting.status == HoldingStatus.OFFERED
    export = client.get(reverse("courses_attendee_export", args=[training_session.pk]))
    rows = export.content.decode().splitlines()
    assert rows[0].startswith("Name,Email")
    assert len(rows) == 3  # header and the two confirmed attendees
    assert all(row.startswith("'=cmd") for row in rows[1:])


def test_a_trainer_cannot_make_offers(client, training_session):
    training_session.trainers.add(staff(client, "Trainer"))
    holders = [book(training_session, f"h{n}@example.com") for n in range(3)]
    waiting = book(training_session, "w@example.com")
    Booking.objects.filter(pk=holders[0].pk).update(status=HoldingStatus.CANCELLED)
    client.post(reverse("courses_offer_places", args=[training_session.pk, waiting.pk]))
    waiting.refresh_from_db()
    assert waiting.status == HoldingStatus.WAITING
    people = client.get(reverse("courses_session_people", args=[training_session.pk]))
    assert people.status_code == 200 and "Offer places now" not in people.text


@pytest.fixture
def on_the_hour(training_session):
    """The session starts and ends on the hour, as a form can say (to the minute): saving the
    form unchanged then moves nothing."""
    starts = training_session.starts_at.replace(minute=0, second=0, microsecond=0)
    training_session.starts_at, training_session.ends_at = starts, starts + timedelta(hours=3)
    training_session.save()
    return training_session


def edit_form(session, **changes) -> dict:
    """The session edit form as the staff area posts it, with `changes`."""

    def local(moment):
        return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"

    data = {
        "course": session.course_id,
        "starts_at": local(session.starts_at),
        "ends_at": local(session.ends_at),
        "venue": session.venue,
        "locality": session.locality_id,
        "joining_link": session.joining_link,
        "joining_instructions": session.joining_instructions,
        "capacity": session.capacity,
        "booking_closes_at": "",
        "status": session.status,
    }
    return {**data, **changes}


def test_raising_the_capacity_in_the_staff_area_offers_the_new_places_at_once(
    client, on_the_hour, django_capture_on_commit_callbacks
):
    staff(client, "Coordinator")
    for n in range(3):
        book(on_the_hour, f"h{n}@example.com")
    first, second = (book(on_the_hour, f"w{n}@example.com") for n in range(2))
    mail.outbox.clear()
    edit = reverse("course_sessions:edit", args=[on_the_hour.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit, edit_form(on_the_hour, capacity=4))
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == HoldingStatus.OFFERED and second.status == HoldingStatus.WAITING
    assert [message.to for message in mail.outbox] == [["w0@example.com"]]
    on_the_hour.refresh_from_db()
    assert on_the_hour.capacity == 4


def test_the_capacity_cannot_go_below_the_places_taken_and_nothing_is_saved(client, on_the_hour):
    staff(client, "Coordinator")
    for n in range(3):
        book(on_the_hour, f"h{n}@example.com")
    edit = reverse("course_sessions:edit", args=[on_the_hour.pk])
    response = client.post(edit, edit_form(on_the_hour, capacity=2, venue="Elsewhere"))
    assert response.status_code == 200
    assert "3 places are taken, so there must be at least 3" in response.text
    on_the_hour.refresh_from_db()
    assert on_the_hour.capacity == 3 and on_the_hour.venue != "Elsewhere"


def test_cancelling_a_session_in_the_staff_area_tells_everyone_once(
    client, on_the_hour, django_capture_on_commit_callbacks
):
    staff(client, "Coordinator")
    for n in range(3):
        book(on_the_hour, f"h{n}@example.com")
    book(on_the_hour, "w@example.com")
    mail.outbox.clear()
    edit = reverse("course_sessions:edit", args=[on_the_hour.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit, edit_form(on_the_hour, status=Session.Status.CANCELLED))
    assert response.status_code == 302
    statuses = set(Booking.objects.values_list("status", flat=True))
    assert statuses == {HoldingStatus.CANCELLED}
    # Each confirmed attendee their calendar cancellation; each booker the email; once.
    recipients = sorted(address for message in mail.outbox for address in message.to)
    booker_emails = [f"h{n}@example.com" for n in range(3)]
    assert recipients == sorted([*booker_emails, *booker_emails, "w@example.com"])
