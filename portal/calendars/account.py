"""The "Your calendar" section of My account: the private feed's address and how to change it."""

from __future__ import annotations

from portal.accounts.sections import AccountSection
from portal.calendars import feeds, services
from portal.calendars.models import CalendarFeedToken


def calendar_section(request) -> AccountSection | None:
    """Shown once the person holds something a feed lists, and kept while they have an
    address (so that one they subscribed to can always be revoked)."""
    user = request.user
    if not CalendarFeedToken.objects.filter(user=user).exists() and not feeds.feed_entries(user):
        return None
    return AccountSection(
        title="Your calendar",
        template="portal/calendars/account_section.html",
        context={"feed_url": services.feed_url(services.feed_token(user))},
        order=15,
    )
