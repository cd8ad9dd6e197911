"""Every invite is parsed twice: by icalendar and by vobject, an independent parser."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject
from icalendar import Calendar

from portal import calendars
from portal.calendars import CalendarEvent

LONDON = ZoneInfo("Europe/London")


def event(**changes) -> CalendarEvent:
    start = datetime(2026, 7, 1, 9, 30, tzinfo=LONDON)  # British Summer Time
    fields = {
        "uid": "place-1@courses.portal",
        "sequence": 0,
        "start": start,
        "end": start + timedelta(hours=3),
        "title": "Domestic abuse awareness",
        "description": "What domestic abuse is and how to respond.",
        "location": "Civic Centre",
        "url": "https://portal.example.org.uk/training/bookings/TR-1/",
        "attendee_email": "ann@example.com",
        "attendee_name": "Ann Attendee",
    }
    return CalendarEvent(**{**fields, **changes})


def both(ics: bytes):
    text = ics.decode()
    return Calendar.from_ical(text), vobject.readOne(text)


def test_an_invite_is_a_request_in_london_time_with_a_reminder():
    cal, second = both(calendars.invite(event()))
    assert str(cal["METHOD"]) == "REQUEST" and second.method.value == "REQUEST"
    [vevent] = cal.walk("VEVENT")
    assert str(vevent["UID"]) == second.vevent.uid.value == "place-1@courses.portal"
    assert vevent.decoded("DTSTART").tzinfo.key == "Europe/London"
    assert second.vevent.dtstart.value.utcoffset() == timedelta(hours=1)
    assert second.vevent.dtstart.value.hour == 9
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    [alarm] = vevent.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -timedelta(hours=24)
    assert second.vevent.valarm.trigger.value == -timedelta(hours=24)
    assert second.vevent.attendee.value == "mailto:ann@example.com"
    assert "Domestic abuse" in second.vevent.summary.value


def test_winter_times_are_gmt():
    start = datetime(2026, 12, 3, 10, 0, tzinfo=LONDON)
    _cal, second = both(calendars.invite(event(start=start, end=start + timedelta(hours=2))))
    assert second.vevent.dtstart.value.utcoffset() == timedelta(0)


def test_an_update_keeps_the_uid_and_raises_the_sequence():
    first, _ = both(calendars.invite(event()))
    later = event(
        sequence=1, start=event().start + timedelta(days=1), end=event().end + timedelta(days=1)
    )
    update, second = both(calendars.invite(later))
    assert first.walk("VEVENT")[0]["UID"] == update.walk("VEVENT")[0]["UID"]
    assert int(update.walk("VEVENT")[0]["SEQUENCE"]) == 1 == int(second.vevent.sequence.value)


def test_a_cancellation_is_method_cancel_with_status_cancelled():
    cal, second = both(calendars.cancellation(event(sequence=2)))
    assert str(cal["METHOD"]) == "CANCEL" and second.method.value == "CANCEL"
    assert second.vevent.status.value == "CANCELLED"
    assert int(second.vevent.sequence.value) == 2
    assert not cal.walk("VALARM")


@pytest.mark.parametrize("build", [calendars.invite, calendars.cancellation])
def test_discreet_mode_reveals_neither_the_subject_nor_the_service(build, settings):
    settings.SERVICE_NAME = "Riverside Domestic Abuse Service"
    ics = build(event(), discreet=True)
    _cal, second = both(ics)
    assert second.vevent.summary.value == "Appointment"
    readable = ics.decode().lower().replace("place-1@courses.portal", "")
    for revealing in ["domestic", "abuse", "riverside", "training", "awareness", "da service"]:
        assert revealing not in readable
    assert "ORGANIZER" not in ics.decode()
    assert "DESCRIPTION:What" not in ics.decode()


def test_a_feed_has_no_method_and_every_event():
    events = [event(uid=f"e{n}@x") for n in range(3)]
    cal, second = both(calendars.feed(events, name="Training"))
    assert "METHOD" not in cal
    assert len(second.vevent_list) == 3
    assert str(cal["X-WR-CALNAME"]) == "Training"


def test_attachments_say_their_method():
    attachment = calendars.as_attachment(calendars.invite(event()), method="REQUEST")
    assert attachment.mimetype == "text/calendar; method=REQUEST; charset=UTF-8"
    assert attachment.content.startswith("BEGIN:VCALENDAR")


def vevents_by_uid(ics: bytes) -> dict:
    """{uid: (icalendar's VEVENT, vobject's)} for every event of a feed."""
    cal, second = both(ics)
    ours = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    theirs = {e.uid.value: e for e in second.vevent_list}
    assert ours.keys() == theirs.keys()
    return {uid: (ours[uid], theirs[uid]) for uid in ours}


def assert_discreet(vevent, second_parse, *, location: bool = False) -> None:
    assert str(vevent["SUMMARY"]) == second_parse.summary.value == "Appointment"
    for name in ("DESCRIPTION", "URL", "ORGANIZER"):
        assert name not in vevent and name.lower() not in second_parse.contents
    assert ("LOCATION" in vevent) is location
    assert ("location" in second_parse.contents) is location
    for alarm in vevent.walk("VALARM"):
        assert str(alarm["DESCRIPTION"]) == "Appointment"


def test_a_feed_is_discreet_per_event_and_then_names_no_service(settings):
    settings.SERVICE_NAME = "Riverside Domestic Abuse Service"
    ics = calendars.feed(
        [
            event(uid="course@x"),
            calendars.FeedEntry(event(uid="week@x", title="Freedom Programme week 3"), True),
        ],
        name="My Riverside Domestic Abuse Service calendar",
    )
    events = vevents_by_uid(ics)
    course, course_again = events["course@x"]
    assert str(course["SUMMARY"]) == course_again.summary.value == "Domestic abuse awareness"
    assert str(course["LOCATION"]) == "Civic Centre" and "DESCRIPTION" in course
    assert_discreet(*events["week@x"])
    cal, _ = both(ics)
    assert str(cal["X-WR-CALNAME"]) == "Appointments"
    assert str(cal["PRODID"]) == calendars.NEUTRAL_PRODID
    assert "freedom" not in ics.decode().lower()


def test_a_discreet_event_gives_its_place_only_to_a_person_who_chose_to_be_told():
    entry = calendars.FeedEntry(event(), discreet=True, location_when_discreet=True)
    [(vevent, second)] = vevents_by_uid(calendars.feed([entry], name="x")).values()
    assert_discreet(vevent, second, location=True)
    assert second.location.value == "Civic Centre"


def test_a_feed_of_open_events_keeps_its_name_and_an_event_may_have_no_alarm():
    ics = calendars.feed([event(reminder_before=None)], name="Drop-ins")
    cal, second = both(ics)
    assert str(cal["X-WR-CALNAME"]) == "Drop-ins" and str(cal["PRODID"]) == calendars.PRODID
    assert not cal.walk("VALARM") and "valarm" not in second.vevent.contents


class Weeks(calendars.FeedProvider):
    """A stand-in for a programme: its weeks are discreet whoever holds them."""

    def __init__(self, *events):
        self.held = list(events)

    def events(self, user):
        return self.held

    def is_discreet(self, event, plan):
        return True


class Shifts(calendars.FeedProvider):
    """A stand-in for volunteer shifts: discreet as the person's plan says (the default)."""

    def __init__(self, *events):
        self.held = list(events)

    def events(self, user):
        return self.held


def later(days: int, **changes) -> CalendarEvent:
    start = event().start + timedelta(days=days)
    return event(start=start, end=start + timedelta(hours=2), **changes)


def test_a_personal_feed_gathers_every_provider_and_each_decides_what_is_discreet(
    db, feed_provider
):
    from tests.factories import UserFactory

    feed_provider(Weeks(later(7, uid="week-1@programmes", title="Freedom Programme week 1")))
    feed_provider(Shifts(later(1, uid="shift-1@volunteers", title="Helpline shift")))
    events = vevents_by_uid(calendars.personal_feed(UserFactory()))
    assert list(events) == ["shift-1@volunteers", "week-1@programmes"]  # in time order
    shift, shift_again = events["shift-1@volunteers"]
    assert str(shift["SUMMARY"]) == shift_again.summary.value == "Helpline shift"
    assert_discreet(*events["week-1@programmes"])


def test_a_person_whose_plan_is_discreet_gets_every_event_discreet_with_the_place_if_chosen(
    db, feed_provider
):
    from tests.factories import UserFactory

    feed_provider(Shifts(later(1, uid="shift-1@volunteers", title="Helpline shift")))
    user = UserFactory(plan={"service_may_be_named": False, "location_in_calendar": True})
    ics = calendars.personal_feed(user)
    [(vevent, second)] = vevents_by_uid(ics).values()
    assert_discreet(vevent, second, location=True)
    assert both(ics)[0]["X-WR-CALNAME"] == "Appointments"


def test_a_provider_is_a_feed_provider():
    with pytest.raises(TypeError):
        calendars.register_feed_provider(lambda user: [event()])


@pytest.mark.slow
@pytest.mark.postgres
def test_the_move_of_feed_tokens_to_portal_keeps_every_address_working(db, client):
    """The migrations copy every token from courses to portal (and back, when reversed), so
    an address a person subscribed to before the upgrade keeps working, and can be revoked."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.urls import reverse

    from portal.calendars.models import CalendarFeedToken
    from portal.calendars.services import feed_token
    from tests.factories import UserFactory

    executor = MigrationExecutor(connection)
    moved = executor.loader.get_migration("portal", "0009_calendar_feed_tokens_from_courses")
    before = [(app, name) for app, name in moved.dependencies if app in ("courses", "portal")]
    with connection.cursor() as cursor:  # no foreign key checks left pending when tables go
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    made_after, subscribed_before = UserFactory(), UserFactory()
    CalendarFeedToken.objects.create(user=made_after, token="made-after-the-move")

    executor.migrate(before)
    old_model = executor.loader.project_state(before).apps.get_model("courses", "CalendarFeedToken")
    assert list(old_model.objects.values_list("user_id", "token")) == [
        (made_after.pk, "made-after-the-move")
    ]  # moving back keeps them too
    old_model.objects.create(user_id=subscribed_before.pk, token="subscribed-before")
    old_model.objects.filter(token="subscribed-before").update(
        created_at=datetime(2026, 1, 5, 9, 0, tzinfo=LONDON)
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    token = CalendarFeedToken.objects.get(user=subscribed_before)
    assert token.token == "subscribed-before"
    assert token.created_at == datetime(2026, 1, 5, 9, 0, tzinfo=LONDON)
    assert CalendarFeedToken.objects.get(user=made_after).token == "made-after-the-move"
    old_address = "/training/calendar/subscribed-before.ics"
    response = client.get(old_address, follow=True)
    assert response.redirect_chain == [(reverse("calendar_feed", args=[token.token]), 301)]
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    feed_token(subscribed_before, renew=True)
    assert client.get(old_address, follow=True).status_code == 404
