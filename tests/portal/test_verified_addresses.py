"""An account opened in someone else's name, with their address unverified, gets nothing of
theirs: not their bookings, joining link or calendar feed, nor their place's messages."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from icalendar import Calendar

from courses import selectors, services
from courses.models import Attendee, Audience
from portal.calendars.services import feed_token
from portal.crypto import blind_lookup
from tests.courses import helpers
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ATTENDEE = "sam.attendee@example.com"


@pytest.fixture
def online_session(home_page):
    return helpers.session(helpers.course(home_page), online=True)


@pytest.fixture
def impostor():
    """An account in the attendee's name, its address never verified (signed in by whatever
    means: a form that skipped verification, say)."""
    return UserFactory(email=ATTENDEE, verified=False)


def _book_for_the_attendee(session):
    return services.book(
        session=session,
        user=UserFactory(),
        audience=Audience.PUBLIC,
        attendees=[services.AttendeeDetails("Sam Attendee", ATTENDEE)],
    )


def _feed_events(client, user) -> int:
    token = feed_token(user).token
    feed = client.get(reverse("calendar_feed", args=[token]))
    return len(Calendar.from_ical(feed.content).walk("VEVENT"))


def test_an_unverified_account_in_an_attendees_name_sees_none_of_their_bookings(
    client, online_session, impostor
):
    booking = _book_for_the_attendee(online_session)
    assert list(selectors.bookings_of(impostor)) == []
    assert list(selectors.confirmed_places_of(impostor)) == []
    client.force_login(impostor)
    page = client.get(reverse("my_account")).text
    assert "My bookings" not in page and booking.session.course.title not in page
    assert _feed_events(client, impostor) == 0


def test_an_unverified_account_is_not_linked_to_the_attendees_place(online_session, impostor):
    """The link decides whose preferences the place's messages follow, and whose it is."""
    _book_for_the_attendee(online_session)
    assert Attendee.objects.get(**blind_lookup("email", ATTENDEE)).user is None


def test_once_the_address_is_verified_the_bookings_and_feed_are_theirs(
    client, online_session, impostor
):
    booking = _book_for_the_attendee(online_session)
    EmailAddress.objects.create(user=impostor, email=ATTENDEE, verified=True, primary=True)
    assert list(selectors.bookings_of(impostor)) == [booking]
    client.force_login(impostor)
    page = client.get(reverse("my_account")).text
    assert "My bookings" in page and booking.session.course.title in page
    assert _feed_events(client, impostor) == 1


def test_a_verified_account_is_linked_to_the_place_booked_for_it(online_session):
    owner = UserFactory(email=ATTENDEE)
    _book_for_the_attendee(online_session)
    assert Attendee.objects.get(**blind_lookup("email", ATTENDEE)).user == owner
