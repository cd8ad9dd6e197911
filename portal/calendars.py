"""The one iCalendar (RFC 5545) builder: invites, updates, cancellations and feeds.

Every app describes what a person holds as a `CalendarEvent` with a stable `uid` (one per
person's place, never reused) and a `sequence` that the app stores and raises on every
change; this module turns events into calendar text. Invites and updates are METHOD:REQUEST,
cancellations METHOD:CANCEL, feeds carry no METHOD. Times are written in Europe/London with
its VTIMEZONE, and every invite has a reminder alarm.

Discreet mode (for anything a survivor receives) replaces the title with a neutral one and
leaves out the service name, the description and the link, keeping only time and place.

Private feeds: an app registers a function with `register_feed_provider` that returns a
person's confirmed events; `personal_feed(user)` gathers them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Alarm, Calendar, Event, Timezone, vCalAddress, vText

from portal.notify import Attachment

LONDON = ZoneInfo("Europe/London")
NEUTRAL_TITLE = "Appointment"
PRODID = "-//Community DA Service portal//EN"
# What a discreet calendar says made it: nothing that names the service.
NEUTRAL_PRODID = "-//Appointments//EN"
# Properties a discreet event never carries: they could say what it is about or who sent it.
REVEALING_PROPERTIES = ("DESCRIPTION", "URL", "ORGANIZER", "CATEGORIES", "COMMENT", "CONTACT")


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    sequence: int
    start: datetime
    end: datetime
    title: str
    description: str = ""
    location: str = ""
    url: str = ""
    attendee_email: str = ""
    attendee_name: str = ""
    reminder_before: timedelta = timedelta(hours=24)


def _calendar(method: str | None, *, discreet: bool = False) -> Calendar:
    cal = Calendar()
    cal.add("prodid", NEUTRAL_PRODID if discreet else PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    return cal


def _add_timezone(cal: Calendar, events: Iterable[CalendarEvent]) -> None:
    starts = [e.start for e in events] or [timezone.now()]
    ends = [e.end for e in events] or [timezone.now()]
    first = min(starts).astimezone(LONDON).replace(tzinfo=None) - timedelta(days=366)
    last = max(ends).astimezone(LONDON).replace(tzinfo=None) + timedelta(days=366)
    cal.add_component(Timezone.from_tzid("Europe/London", first_date=first, last_date=last))


def _organizer() -> vCalAddress:
    address = settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">").strip()
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(settings.SERVICE_NAME)
    return organizer


def _event(event: CalendarEvent, *, discreet: bool, cancelled: bool, invite: bool) -> Event:
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", timezone.now())
    vevent.add("dtstart", event.start.astimezone(LONDON))
    vevent.add("dtend", event.end.astimezone(LONDON))
    vevent.add("summary", NEUTRAL_TITLE if discreet else event.title)
    if event.location:
        vevent.add("location", event.location)
    if not discreet:
        if event.description:
            vevent.add("description", event.description)
        if event.url:
            vevent.add("url", event.url)
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    if invite:
        if not discreet:
            vevent.add("organizer", _organizer())
        if event.attendee_email:
            attendee = vCalAddress(f"mailto:{event.attendee_email}")
            if event.attendee_name:  # never the address in place of a name
                attendee.params["cn"] = vText(event.attendee_name)
            attendee.params["role"] = vText("REQ-PARTICIPANT")
            attendee.params["partstat"] = vText("ACCEPTED")
            vevent.add("attendee", attendee, encode=0)
    if not cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", NEUTRAL_TITLE if discreet else f"Reminder: {event.title}")
        alarm.add("trigger", -event.reminder_before)
        vevent.add_component(alarm)
    return vevent


def invite(event: CalendarEvent, *, discreet: bool = False) -> bytes:
    """An invitation or an update (raise `sequence` for an update)."""
    cal = _calendar("REQUEST", discreet=discreet)
    _add_timezone(cal, [event])
    cal.add_component(_event(event, discreet=discreet, cancelled=False, invite=True))
    return cal.to_ical()


def cancellation(event: CalendarEvent, *, discreet: bool = False) -> bytes:
    """Withdraws the invitation with the same uid (`sequence` must be higher than the last)."""
    cal = _calendar("CANCEL", discreet=discreet)
    _add_timezone(cal, [event])
    cal.add_component(_event(event, discreet=discreet, cancelled=True, invite=True))
    return cal.to_ical()


def feed(events: Iterable[CalendarEvent], *, name: str, discreet: bool = False) -> bytes:
    """A subscribable calendar (no METHOD) of the given events."""
    events = list(events)
    cal = _calendar(None, discreet=discreet)
    cal.add("x-wr-calname", NEUTRAL_TITLE + "s" if discreet else name)
    cal.add("x-wr-timezone", "Europe/London")
    _add_timezone(cal, events)
    for event in events:
        cal.add_component(_event(event, discreet=discreet, cancelled=False, invite=False))
    return cal.to_ical()


def make_discreet(ics: str, *, keep_location: bool = False) -> str | None:
    """An existing calendar text as discreet mode would have written it (for a message that
    became discreet after its invite was made), or None when it cannot be read. What notify
    attaches for a discreet recipient: no place either, unless they chose to be told it
    (`keep_location`, from their safe-contact plan)."""
    try:
        cal = Calendar.from_ical(ics)
    except ValueError:
        return None
    if not isinstance(cal, Calendar) or cal.name != "VCALENDAR":
        return None
    cal["prodid"] = vText(NEUTRAL_PRODID)
    if "X-WR-CALNAME" in cal:
        cal["x-wr-calname"] = vText(NEUTRAL_TITLE + "s")
    for component in cal.walk():
        if component.name == "VEVENT":
            component["summary"] = vText(NEUTRAL_TITLE)
            for name in REVEALING_PROPERTIES:
                component.pop(name, None)
            if not keep_location:
                component.pop("LOCATION", None)
        elif component.name == "VALARM":
            component["description"] = vText(NEUTRAL_TITLE)
    return cal.to_ical().decode()


def as_attachment(ics: bytes, *, method: str) -> Attachment:
    return Attachment(
        filename="invite.ics" if method == "REQUEST" else "cancellation.ics",
        content=ics.decode(),
        mimetype=f"text/calendar; method={method}; charset=UTF-8",
    )


FeedProvider = Callable[[object], Iterable[CalendarEvent]]
_feed_providers: list[FeedProvider] = []


def register_feed_provider(provider: FeedProvider) -> FeedProvider:
    """Apps add a function(user) -> the user's confirmed events, for their private feed."""
    if provider not in _feed_providers:
        _feed_providers.append(provider)
    return provider


def personal_feed(user) -> bytes:
    events = [event for provider in _feed_providers for event in provider(user)]
    from portal.contact.selectors import is_discreet

    return feed(events, name=f"My {settings.SERVICE_NAME} calendar", discreet=is_discreet(user))
