"""The private feed's address: its token, made once and replaced on request."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from portal.calendars.models import CalendarFeedToken


def feed_token(user, *, renew: bool = False) -> CalendarFeedToken:
    """The person's private feed token; `renew` replaces it, so the old address stops working."""
    token, created = CalendarFeedToken.objects.get_or_create(
        user=user, defaults={"token": CalendarFeedToken.new_token()}
    )
    if renew and not created:
        token.token = CalendarFeedToken.new_token()
        token.save(update_fields=["token", "created_at"])
    return token


def feed_url(token: CalendarFeedToken) -> str:
    return settings.SITE_URL + reverse("calendar_feed", args=[token.token])
