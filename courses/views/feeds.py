"""The public calendar of courses open to the public (a person's private feed is
portal.calendars')."""

from __future__ import annotations

from django.conf import settings

from courses import selectors
from courses.models import Audience, CourseAudience
from portal import calendars
from portal.calendars.views import ics_response


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
    return ics_response(
        calendars.feed(events, name=f"{settings.SERVICE_NAME} training"), private=False
    )
