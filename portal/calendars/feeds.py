"""Private calendar feeds: every kind of event a person holds, at one secret address.

An app puts what a person holds into their feed by subclassing `FeedProvider`:

- `events(user)`: the person's confirmed events, as `CalendarEvent`s;
- `is_discreet(event, plan)`, only where the default does not fit: whether this event is
  written discreetly, decided from the person's safe-contact plan (never None: the defaults
  when they saved none) and the kind of event. The default follows the plan (discreet when
  the service may not be named), which suits a course a council worker booked; a kind of
  event that is sensitive whoever holds it (a survivor's programme week) returns True;

and registering an instance with `register_feed_provider()` in its AppConfig.ready().

Discreet is per event, not per feed: a discreet event has the neutral title and no
description or link, and gives its place only when the person chose to be told it
(`SafeContactPlan.location_in_calendar`); a feed holding one, or belonging to a person whose
plan is discreet, does not name the service either.

The address carries a secret token (`portal.calendars.models.CalendarFeedToken`, one per
person, `services.feed_token`); renewing it revokes the old address at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings

from portal.calendars.builder import CalendarEvent, FeedEntry, feed

if TYPE_CHECKING:
    from portal.contact.models import SafeContactPlan


class FeedProvider:
    """One kind of event in people's private feeds (course places, shifts, programme weeks)."""

    def events(self, user) -> Iterable[CalendarEvent]:
        raise NotImplementedError

    def is_discreet(self, event: CalendarEvent, plan: SafeContactPlan) -> bool:
        return plan.discreet


_providers: list[FeedProvider] = []


def register_feed_provider(provider: FeedProvider) -> FeedProvider:
    """Call from the app's AppConfig.ready() with an instance of its `FeedProvider`."""
    if not isinstance(provider, FeedProvider):
        raise TypeError(f"{provider!r} is not a FeedProvider.")
    if provider not in _providers:
        _providers.append(provider)
    return provider


def feed_entries(user, plan: SafeContactPlan | None = None) -> list[FeedEntry]:
    """Every event the person holds, from every provider, in time order, each marked discreet
    or not by its own provider."""
    if plan is None:
        # Imported here: this module loads with portal's models, before contact's selectors can.
        from portal.contact.selectors import plan_or_default

        plan = plan_or_default(user)
    entries = [
        FeedEntry(
            event,
            discreet=provider.is_discreet(event, plan),
            location_when_discreet=plan.location_in_calendar,
        )
        for provider in _providers
        for event in provider.events(user)
    ]
    return sorted(entries, key=lambda entry: (entry.event.start, entry.event.uid))


def personal_feed(user) -> bytes:
    from portal.contact.selectors import plan_or_default

    plan = plan_or_default(user)
    return feed(
        feed_entries(user, plan),
        name=f"My {settings.SERVICE_NAME} calendar",
        neutral=plan.discreet,
    )
