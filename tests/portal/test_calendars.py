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


def test_personal_feeds_gather_every_registered_provider(db):
    from tests.factories import UserFactory

    user = UserFactory(plan={"service_may_be_named": False})
    provider = calendars.register_feed_provider(lambda person: [event()])
    try:
        _cal, second = both(calendars.personal_feed(user))
        assert second.vevent.summary.value == "Appointment"
    finally:
        calendars._feed_providers.remove(provider)
