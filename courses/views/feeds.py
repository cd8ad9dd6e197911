"""Calendar feeds: a person's private feed (and renewing its address) and the public one."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from courses import selectors, services
from courses.models import (
    Audience,
    CourseAudience,
)
from portal import calendars


@require_POST
@login_required
def renew_feed(request):
    services.feed_token(request.user, renew=True)
    messages.success(request, "Your calendar address has changed. The old one no longer works.")
    return redirect("my_account")


def personal_feed(request, token: str):
    from courses.models import CalendarFeedToken

    feed_token = get_object_or_404(CalendarFeedToken.objects.select_related("user"), token=token)
    return _ics(calendars.personal_feed(feed_token.user), private=True)


def public_feed(request):
    public = CourseAudience.objects.filter(audience=Audience.PUBLIC, may_book=True).values("course")
    sessions = selectors.upcoming_sessions().filter(course__in=public)
    events = [
        calendars.CalendarEvent(
            uid=f"session-{s.pk}@courses.portal",
            sequence=0,
            start=s.starts_at,
            end=s.ends_at,
            title=s.course.title,
            description=s.course.summary,
            location="Online" if s.online else s.venue,
            url=settings.SITE_URL + s.course.url,
        )
        for s in sessions
    ]
    return _ics(calendars.feed(events, name=f"{settings.SERVICE_NAME} training"), private=False)


def _ics(body: bytes, *, private: bool) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store" if private else "public, max-age=900"
    if private:
        response["X-Robots-Tag"] = "noindex"
    return response
