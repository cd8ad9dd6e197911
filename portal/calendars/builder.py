"""The one iCalendar (RFC 5545) builder: invites, updates, cancellations and feeds.

Every app describes what a person holds as a `CalendarEvent` with a stable `uid` (one per
person's place, never reused) and a `sequence` that the app stores and raises on every
change; this module turns events into calendar text. Invites and updates are METHOD:REQUEST,
cancellations METHOD:CANCEL, feeds carry no METHOD. Times are written in Europe/London with
its VTIMEZONE, and every event has a reminder alarm unless its `reminder_before` is None.

Discreet mode (for anything a survivor receives) replaces the title with a neutral one and
leaves out the service name, the description and the link. An invite keeps the place (notify
takes it out when the person's plan says so, see `make_discreet`); in a feed, discreet is
decided per event (`FeedEntry`), and a discreet entry gives the place only when the person
chose to be told it.
"""

from __future__ import annotations

from collections.abc import Iterable
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
    # None: no alarm (a public feed of weekly drop-ins would otherwise ring every week).
    reminder_before: timedelta | None = timedelta(hours=24)


@dataclass(frozen=True)
class FeedEntry:
    """One event in a feed, and how it is written there."""

    event: CalendarEvent
    discreet: bool = False
    # Only read when discreet: the person chose to be told the place (their safe-contact plan).
    location_when_discreet: bool = False


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


def _event(
    event: CalendarEvent,
    *,
    discreet: bool,
    cancelled: bool,
    invite: bool,
    with_location: bool = True,
) -> Event:
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", timezone.now())
    vevent.add("dtstart", event.start.astimezone(LONDON))
    vevent.add("dtend", event.end.astimezone(LONDON))
    vevent.add("summary", NEUTRAL_TITLE if discreet else event.title)
    if event.location and with_location:
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
    if not cancelled and event.reminder_before is not None:
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


def feed(items: Iterable[CalendarEvent | FeedEntry], *, name: str, neutral: bool = False) -> bytes:
    """A subscribable calendar (no METHOD). A bare `CalendarEvent` is written in full; a
    `FeedEntry` says whether its event is discreet. A feed holding any discreet event, or
    asked to be `neutral`, does not name the service (its name and PRODID)."""
    entries = [item if isinstance(item, FeedEntry) else FeedEntry(item) for item in items]
    neutral = neutral or any(entry.discreet for entry in entries)
    cal = _calendar(None, discreet=neutral)
    cal.add("x-wr-calname", NEUTRAL_TITLE + "s" if neutral else name)
    cal.add("x-wr-timezone", "Europe/London")
    _add_timezone(cal, [entry.event for entry in entries])
    for entry in entries:
        vevent = _event(
            entry.event,
            discreet=entry.discreet,
            cancelled=False,
            invite=False,
            with_location=not entry.discreet or entry.location_when_discreet,
        )
        cal.add_component(vevent)
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
