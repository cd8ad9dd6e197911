"""A person's private calendar feed, and renewing its address."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from portal.calendars import feeds, services
from portal.calendars.models import CalendarFeedToken


def ics_response(body: bytes, *, private: bool) -> HttpResponse:
    """A calendar: a private feed is never kept by a cache or indexed; a public one for 15 min."""
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store" if private else "public, max-age=900"
    if private:
        response["X-Robots-Tag"] = "noindex"
    return response


def personal_feed(request, token: str):
    # An unknown, renewed or deactivated account's token is a plain 404.
    feed_token = get_object_or_404(
        CalendarFeedToken.objects.select_related("user"), token=token, user__is_active=True
    )
    return ics_response(feeds.personal_feed(feed_token.user), private=True)


@require_POST
@login_required
def renew_feed(request):
    services.feed_token(request.user, renew=True)
    messages.success(request, "Your calendar address has changed. The old one no longer works.")
    return redirect("my_account")
