import pytest
from django.urls import reverse

from courses import services
from courses.models import Audience, Booking
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
