"""The public calendar of drop-ins: each session in the coming weeks as its own event, so that
cancelled dates and bank holidays are simply absent. UIDs are stable per drop-in and date.
The finder's filters (area, day) narrow the feed as they narrow the finder. Written by the one
calendar builder (portal.calendars), with no reminder alarms: a weekly drop-in is an offer,
not an appointment."""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from cms.hours import LONDON
from cms.selectors import listed_drop_ins, sessions_between
from portal import calendars
from portal.localities import Locality

FEED_WEEKS = 12


def drop_ins_calendar(
    now: datetime | None = None, locality: Locality | None = None, day: int | None = None
) -> bytes:
    today = (now or timezone.now()).astimezone(LONDON).date()
    end = today + timedelta(weeks=FEED_WEEKS)
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    events = [
        calendars.CalendarEvent(
            uid=f"drop-in-{drop_in.pk}-{session.date:%Y%m%d}@{host}",
            sequence=0,
            start=session.starts_at,
            end=session.ends_at,
            title=f"Drop-in: {drop_in.name}",
            description=f"{drop_in.who_for}. {drop_in.description}".strip(),
            location=f"{drop_in.venue_name}, {drop_in.address.replace(chr(10), ', ')}, "
            f"{drop_in.postcode}",
            reminder_before=None,
        )
        for drop_in in listed_drop_ins(locality=locality, day=day)
        for session in sessions_between(drop_in, today, end)
    ]
    name = f"{settings.SERVICE_NAME} drop-ins"
    return calendars.feed(events, name=f"{name} in {locality.name}" if locality else name)
