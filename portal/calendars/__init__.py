"""Calendars: the one iCalendar builder (`builder`) and every person's private feed
(`feeds`: the providers apps register, the token in the address, its view and its section
of "My account"). Apps use `from portal import calendars` and the names below."""

from portal.calendars.builder import (
    LONDON,
    NEUTRAL_PRODID,
    NEUTRAL_TITLE,
    PRODID,
    REVEALING_PROPERTIES,
    CalendarEvent,
    FeedEntry,
    as_attachment,
    cancellation,
    feed,
    invite,
    make_discreet,
)
from portal.calendars.feeds import (
    FeedProvider,
    feed_entries,
    personal_feed,
    register_feed_provider,
)

__all__ = [
    "LONDON",
    "NEUTRAL_PRODID",
    "NEUTRAL_TITLE",
    "PRODID",
    "REVEALING_PROPERTIES",
    "CalendarEvent",
    "FeedEntry",
    "FeedProvider",
    "as_attachment",
    "cancellation",
    "feed",
    "feed_entries",
    "invite",
    "make_discreet",
    "personal_feed",
    "register_feed_provider",
]
