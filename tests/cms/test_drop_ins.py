"""Drop-in dates: the rule, cancelled dates, bank holidays, "this week" and the calendar feed."""

from datetime import date, datetime, time

import pytest
import vobject
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from icalendar import Calendar

from cms.feeds import drop_ins_calendar
from cms.hours import LONDON
from cms.models import DropIn
from cms.recurrence import Frequency, rule_dates
from cms.selectors import listed_drop_ins, next_session, sessions_this_week
from portal import calendars
from tests.cms.factories import CancellationFactory, DropInFactory, LocalityFactory

pytestmark = pytest.mark.django_db


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def fetched(drop_in: DropIn) -> DropIn:
    return listed_drop_ins().get(pk=drop_in.pk)


def test_next_session_is_today_until_it_ends_then_next_week():
    drop_in = DropInFactory(weekday=0)  # Mondays 10:00 to 12:00
    assert next_session(fetched(drop_in), london(2026, 11, 23, 11, 0)).date == date(2026, 11, 23)
    assert next_session(fetched(drop_in), london(2026, 11, 23, 12, 0)).date == date(2026, 11, 30)


def test_cancelled_dates_are_skipped():
    drop_in = DropInFactory(weekday=0)
    CancellationFactory(drop_in=drop_in, date=date(2026, 11, 30))
    assert next_session(fetched(drop_in), london(2026, 11, 24, 9, 0)).date == date(2026, 12, 7)


def test_bank_holidays_are_skipped():
    drop_in = DropInFactory(weekday=0)
    # Easter Monday 2026 is 6 April.
    assert next_session(fetched(drop_in), london(2026, 4, 3, 9, 0)).date == date(2026, 4, 13)


def test_fortnightly_keeps_to_its_own_weeks():
    drop_in = DropInFactory(frequency=Frequency.FORTNIGHTLY, weekday=2, starts_on=date(2026, 11, 4))
    assert next_session(fetched(drop_in), london(2026, 11, 5, 9, 0)).date == date(2026, 11, 18)
    assert next_session(fetched(drop_in), london(2026, 11, 18, 9, 0)).date == date(2026, 11, 18)


def test_monthly_on_the_first_or_last_weekday():
    days = list(
        rule_dates(
            frequency=Frequency.MONTHLY,
            weekday=5,
            week_of_month=1,
            starts_on=date(2026, 1, 1),
            ends_on=None,
            start=date(2026, 11, 1),
            end=date(2027, 1, 31),
        )
    )
    assert days == [date(2026, 11, 7), date(2026, 12, 5), date(2027, 1, 2)]
    last_fridays = rule_dates(
        frequency=Frequency.MONTHLY,
        weekday=4,
        week_of_month=-1,
        starts_on=date(2026, 1, 1),
        ends_on=None,
        start=date(2026, 11, 1),
        end=date(2026, 12, 31),
    )
    assert list(last_fridays) == [date(2026, 11, 27), date(2026, 12, 25)]


def test_a_drop_in_that_has_ended_has_no_next_session():
    drop_in = DropInFactory(weekday=0, ends_on=date(2026, 11, 16))
    assert next_session(fetched(drop_in), london(2026, 11, 17, 9, 0)) is None


def test_not_before_its_first_session():
    drop_in = DropInFactory(weekday=0, starts_on=date(2027, 1, 4))
    assert next_session(fetched(drop_in), london(2026, 11, 17, 9, 0)).date == date(2027, 1, 4)


def test_this_week_lists_sessions_in_date_and_time_order():
    north = LocalityFactory(slug="north", name="North")
    DropInFactory(name="Thursday", weekday=3, starts_on=date(2025, 1, 2), locality=north)
    DropInFactory(
        name="Tuesday late",
        weekday=1,
        starts_on=date(2025, 1, 7),
        start_time=time(18),
        end_time=time(20),
    )
    DropInFactory(name="Tuesday early", weekday=1, starts_on=date(2025, 1, 7))
    sessions = sessions_this_week(listed_drop_ins(), london(2026, 11, 23, 9, 0))
    assert [(s.drop_in.name, s.date.day) for s in sessions] == [
        ("Tuesday early", 24),
        ("Tuesday late", 24),
        ("Thursday", 26),
    ]
    only_north = sessions_this_week(listed_drop_ins(locality=north), london(2026, 11, 23, 9))
    assert [s.drop_in.name for s in only_north] == ["Thursday"]


def test_unlisted_drop_ins_are_not_shown():
    DropInFactory(is_listed=False)
    assert not listed_drop_ins().exists()


def test_the_first_session_must_fall_on_its_weekday():
    drop_in = DropInFactory.build(
        locality=LocalityFactory(), weekday=1, starts_on=date(2026, 11, 23)
    )
    with pytest.raises(ValidationError) as error:
        drop_in.full_clean()
    assert "Tuesday" in str(error.value)


def test_postcodes_are_checked_and_tidied():
    drop_in = DropInFactory.build(locality=LocalityFactory(), postcode="rv11aa")
    drop_in.full_clean()
    assert drop_in.postcode == "RV1 1AA"
    drop_in.postcode = "not a postcode"
    with pytest.raises(ValidationError):
        drop_in.full_clean()


def test_the_database_refuses_a_session_that_ends_before_it_starts():
    with pytest.raises(IntegrityError):
        DropInFactory(start_time=time(12), end_time=time(10))


def test_the_database_refuses_a_week_of_month_on_a_weekly_drop_in():
    with pytest.raises(IntegrityError):
        DropInFactory(frequency=Frequency.WEEKLY, week_of_month=1)


def test_calendar_feed_has_london_time_stable_uids_and_leaves_out_cancelled_dates(settings):
    settings.SITE_URL = "https://portal.example.org.uk"
    drop_in = DropInFactory(weekday=0)
    CancellationFactory(drop_in=drop_in, date=date(2026, 11, 30))
    now = london(2026, 11, 23, 9, 0)
    calendar = Calendar.from_ical(drop_ins_calendar(now))
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    events = calendar.walk("VEVENT")
    starts = [event.decoded("DTSTART") for event in events]
    assert starts[0] == london(2026, 11, 23, 10, 0)
    assert london(2026, 11, 30, 10, 0) not in starts
    assert all(str(event["DTSTART"].params["TZID"]) == "Europe/London" for event in events)
    assert str(events[0]["UID"]) == f"drop-in-{drop_in.pk}-20261123@portal.example.org.uk"
    again = Calendar.from_ical(drop_ins_calendar(now)).walk("VEVENT")
    assert [str(e["UID"]) for e in again] == [str(e["UID"]) for e in events]


def test_the_feed_is_written_by_the_one_calendar_builder_without_alarms(settings):
    """portal.calendars writes it (its PRODID, a feed with no METHOD), read by a second
    parser; a weekly drop-in is an offer, not an appointment, so nothing rings before it."""
    settings.SERVICE_NAME = "Riverside Service"
    settings.SITE_URL = "https://portal.example.org.uk"
    locality = LocalityFactory(name="Northbank")
    drop_in = DropInFactory(weekday=0, locality=locality, name="Lighthouse", who_for="Women")
    ics = drop_ins_calendar(london(2026, 11, 23, 9, 0), locality=locality)
    calendar = Calendar.from_ical(ics)
    assert str(calendar["PRODID"]) == calendars.PRODID and "METHOD" not in calendar
    assert str(calendar["X-WR-CALNAME"]) == "Riverside Service drop-ins in Northbank"
    assert not calendar.walk("VALARM")
    second = vobject.readOne(ics.decode())
    assert len(second.vevent_list) == len(calendar.walk("VEVENT")) > 1
    first = second.vevent_list[0]
    assert first.uid.value == f"drop-in-{drop_in.pk}-20261123@portal.example.org.uk"
    assert first.summary.value == "Drop-in: Lighthouse"
    assert first.location.value == "Community Centre, 1 High Street, Riverside, RV1 1AA"
    assert first.description.value.startswith("Women.")
    assert first.dtstart.value == london(2026, 11, 23, 10, 0)
    assert "valarm" not in first.contents


def test_the_feed_is_served_as_a_public_calendar(client, home_page):
    DropInFactory()
    response = client.get("/calendars/drop-ins.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "public" in response["Cache-Control"]
    assert response.cookies == {}


def _feed_names(response) -> set[str]:
    assert response.status_code == 200
    events = Calendar.from_ical(response.content).walk("VEVENT")
    return {str(event["SUMMARY"]) for event in events}


def test_the_feed_honours_the_finders_area_and_day_filters(client, home_page):
    north, south = LocalityFactory(slug="north", name="North"), LocalityFactory(slug="south")
    DropInFactory(name="North Monday", locality=north, weekday=0)
    DropInFactory(name="North Thursday", locality=north, weekday=3)
    DropInFactory(name="South Monday", locality=south, weekday=0)
    everything = _feed_names(client.get("/calendars/drop-ins.ics"))
    assert everything == {
        "Drop-in: North Monday",
        "Drop-in: North Thursday",
        "Drop-in: South Monday",
    }
    response = client.get("/calendars/drop-ins.ics?locality=north")
    assert _feed_names(response) == {"Drop-in: North Monday", "Drop-in: North Thursday"}
    assert Calendar.from_ical(response.content)["X-WR-CALNAME"].endswith("drop-ins in North")
    in_the_north_on_mondays = client.get("/calendars/drop-ins.ics?locality=north&day=monday")
    assert _feed_names(in_the_north_on_mondays) == {"Drop-in: North Monday"}


@pytest.mark.parametrize(
    "query, message",
    [
        ("?locality=atlantis", b"Choose an area from the list"),
        ("?day=someday", b"Choose a day from the list"),
        ("?locality=%00", b"Null characters are not allowed"),
    ],
)
def test_the_feed_refuses_a_filter_it_does_not_know_rather_than_serve_everything(
    client, home_page, query, message
):
    DropInFactory()
    response = client.get("/calendars/drop-ins.ics" + query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert message in response.content
