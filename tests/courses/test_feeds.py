"""A person's course places in their private calendar feed (portal.calendars, fed by
courses.account.CoursePlaces), every feed read by icalendar and by vobject."""

from datetime import timedelta

import pytest
import vobject
from django.conf import settings
from django.urls import reverse
from icalendar import Calendar

from courses import services
from courses.models import Attendee, Audience
from portal import calendars
from portal.calendars.services import feed_token
from tests.courses import helpers
from tests.factories import SafeContactPlanFactory, UserFactory

pytestmark = pytest.mark.django_db


def _book(session, person) -> Attendee:
    booking = services.book(
        session=session,
        user=person,
        audience=Audience.PUBLIC,
        attendees=[services.AttendeeDetails("Pat Public", person.email)],
    )
    return booking.attendees.get()


def _events(response) -> dict:
    """{uid: (icalendar's VEVENT, vobject's)} of a feed."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "private, no-store"
    text = response.content.decode()
    ours = {str(e["UID"]): e for e in Calendar.from_ical(text).walk("VEVENT")}
    theirs = {e.uid.value: e for e in vobject.readOne(text).contents.get("vevent", [])}
    assert ours.keys() == theirs.keys()
    return {uid: (ours[uid], theirs[uid]) for uid in ours}


def _feed(client, person):
    return client.get(reverse("calendar_feed", args=[feed_token(person).token]))


class ProgrammeWeeks(calendars.FeedProvider):
    """Another app's events in the same feed: a survivor's programme week, always discreet."""

    def __init__(self, session):
        self.start = session.starts_at + timedelta(days=1)

    def events(self, user):
        return [
            calendars.CalendarEvent(
                uid=f"week-{user.pk}@programmes.portal",
                sequence=0,
                start=self.start,
                end=self.start + timedelta(hours=2),
                title="Freedom Programme, week 1",
                description="Understanding coercive control.",
                location="Riverside Family Centre",
            )
        ]

    def is_discreet(self, event, plan):
        return True


def test_the_feed_lists_a_persons_places_beside_another_providers_events(
    client, training_session, feed_provider
):
    person = UserFactory()
    place = _book(training_session, person)
    feed_provider(ProgrammeWeeks(training_session))
    events = _events(_feed(client, person))
    assert list(events) == [
        f"{place.calendar_uid}@courses.portal",
        f"week-{person.pk}@programmes.portal",
    ]
    course, course_again = events[f"{place.calendar_uid}@courses.portal"]
    assert str(course["SUMMARY"]) == course_again.summary.value == "DA awareness"
    assert course_again.location.value == "Civic Centre, Riverside"
    assert "About DA awareness." in course_again.description.value
    week, week_again = events[f"week-{person.pk}@programmes.portal"]
    assert str(week["SUMMARY"]) == week_again.summary.value == "Appointment"
    for name in ("LOCATION", "DESCRIPTION", "URL"):
        assert name not in week and name.lower() not in week_again.contents


@pytest.mark.parametrize("told_the_place", [False, True])
def test_a_discreet_persons_place_has_a_neutral_title_and_the_place_only_if_they_chose(
    client, training_session, told_the_place
):
    person = UserFactory(
        plan={"service_may_be_named": False, "location_in_calendar": told_the_place}
    )
    _book(training_session, person)
    response = _feed(client, person)
    [(place, place_again)] = _events(response).values()
    assert str(place["SUMMARY"]) == place_again.summary.value == "Appointment"
    assert "DESCRIPTION" not in place and "description" not in place_again.contents
    assert "URL" not in place and "url" not in place_again.contents
    assert ("LOCATION" in place) is told_the_place
    assert ("location" in place_again.contents) is told_the_place
    text = response.content.decode()
    for revealing in ["DA awareness", settings.SERVICE_NAME, "/training/"]:
        assert revealing not in text


def _download(client, attendee):
    client.force_login(attendee.booking.booked_by)
    url = reverse("courses:attendee_calendar", args=[attendee.booking.reference, attendee.pk])
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    [event] = Calendar.from_ical(text).walk("VEVENT")
    return event, text


@pytest.mark.parametrize("told_the_place", [False, True])
def test_a_discreet_attendees_downloaded_file_follows_the_same_rule_as_the_feed(
    client, home_page, told_the_place
):
    course = helpers.course(home_page, title="DA awareness")
    for session in (helpers.session(course), helpers.session(course, online=True)):
        person = UserFactory(
            plan={"service_may_be_named": False, "location_in_calendar": told_the_place}
        )
        event, text = _download(client, _book(session, person))
        assert str(event["SUMMARY"]) == "Appointment"
        for revealing in ["DESCRIPTION", "URL", "ORGANIZER"]:
            assert revealing not in event
        assert ("LOCATION" in event) is told_the_place
        if told_the_place:
            assert str(event["LOCATION"]) == (session.venue or "Online")
        for revealing in ["DA awareness", settings.SERVICE_NAME, "/training/", "meet.example"]:
            assert revealing not in text


def test_an_attendee_whose_address_has_a_discreet_plan_gets_a_discreet_file(
    client, training_session
):
    """The booker gave an address whose owner (a plan staff keep, no account) is discreet."""
    SafeContactPlanFactory(email="kept@example.com", service_may_be_named=False)
    booking = services.book(
        session=training_session,
        user=UserFactory(),
        audience=Audience.PUBLIC,
        attendees=[services.AttendeeDetails("Kim Kept", "kept@example.com")],
    )
    event, text = _download(client, booking.attendees.get())
    assert str(event["SUMMARY"]) == "Appointment"
    assert "LOCATION" not in event and "Civic Centre" not in text


def test_an_attendee_who_may_be_told_gets_the_whole_event_in_the_file(client, training_session):
    event, text = _download(client, _book(training_session, UserFactory()))
    assert str(event["SUMMARY"]) == training_session.course.title
    assert str(event["LOCATION"]) == training_session.venue
    assert "DESCRIPTION" in event and "URL" in event and "ORGANIZER" in event


def test_an_address_given_out_before_the_feed_moved_to_portal_still_works(client, training_session):
    person = UserFactory()
    place = _book(training_session, person)
    token = feed_token(person).token
    old_address = f"/training/calendar/{token}.ics"
    response = client.get(old_address)
    assert response.status_code == 301
    assert response["Location"] == f"/calendars/private/{token}.ics"
    assert list(_events(client.get(old_address, follow=True))) == [
        f"{place.calendar_uid}@courses.portal"
    ]


def test_changing_the_address_revokes_the_old_one_at_both_paths(client, training_session):
    person = UserFactory()
    _book(training_session, person)
    old = feed_token(person).token
    client.force_login(person)
    assert client.get(reverse("renew_calendar_feed")).status_code == 405
    response = client.post(reverse("renew_calendar_feed"), follow=True)
    assert "Your calendar address has changed" in response.text
    new = feed_token(person).token
    assert new != old and new in response.text
    assert client.get(reverse("calendar_feed", args=[old])).status_code == 404
    assert client.get(f"/training/calendar/{old}.ics", follow=True).status_code == 404
    assert len(_events(client.get(reverse("calendar_feed", args=[new])))) == 1


def test_a_deactivated_accounts_feed_is_gone(client, training_session):
    person = UserFactory()
    _book(training_session, person)
    token = feed_token(person).token
    person.is_active = False
    person.save(update_fields=["is_active"])
    assert client.get(reverse("calendar_feed", args=[token])).status_code == 404


def test_my_account_gives_the_address_once_there_is_something_in_it_and_keeps_it(
    client, training_session
):
    person = UserFactory()
    client.force_login(person)
    assert "Your calendar" not in client.get(reverse("my_account")).text
    place = _book(training_session, person)
    page = client.get(reverse("my_account")).text
    address = settings.SITE_URL + reverse("calendar_feed", args=[feed_token(person).token])
    assert "Your calendar" in page and address in page
    services.cancel_booking(place.booking, by=person)
    page = client.get(reverse("my_account")).text
    assert address in page  # an address once subscribed to can still be changed
