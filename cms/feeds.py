"""The public calendar of drop-ins: each session in the coming weeks as its own event, so that
cancelled dates and bank holidays are simply absent. UIDs are stable per drop-in and date.
The finder's filters (area, day) narrow the feed as they narrow the finder."""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Timezone

from cms.hours import LONDON
from cms.selectors import listed_drop_ins, sessions_between
from portal.localities import Locality

FEED_WEEKS = 12


def drop_ins_calendar(
    now: datetime | None = None, locality: Locality | None = None, day: int | None = None
) -> bytes:
    today = (now or timezone.now()).astimezone(LONDON).date()
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SERVICE_NAME}//Drop-ins//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = f"{settings.SERVICE_NAME} drop-ins"
    calendar.add("x-wr-calname", f"{name} in {locality.name}" if locality else name)
    calendar.add("x-wr-timezone", "Europe/London")
    # Only the transitions the feed's dates need, not every one since 1970.
    calendar.add_component(
        Timezone.from_tzid(
            "Europe/London",
            first_date=today - timedelta(days=366),
            last_date=today + timedelta(weeks=FEED_WEEKS, days=366),
        )
    )
    stamp = timezone.now()
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    for drop_in in listed_drop_ins(locality=locality, day=day):
        end = today + timedelta(weeks=FEED_WEEKS)
        for session in sessions_between(drop_in, today, end):
            event = Event()
            event.add("uid", f"drop-in-{drop_in.pk}-{session.date:%Y%m%d}@{host}")
            event.add("dtstamp", stamp)
            event.add("dtstart", session.starts_at)
            event.add("dtend", session.ends_at)
            event.add("summary", f"Drop-in: {drop_in.name}")
            event.add(
                "location",
                f"{drop_in.venue_name}, {drop_in.address.replace(chr(10), ', ')}, "
                f"{drop_in.postcode}",
            )
            event.add("description", f"{drop_in.who_for}. {drop_in.description}".strip())
            calendar.add_component(event)
    return calendar.to_ical()
