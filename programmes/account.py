"""What programmes add to "My account" and to a person's private calendar feed: their
weeks, always discreet (a neutral title, the place only if they chose to be told it)."""

from __future__ import annotations

from portal.accounts.sections import AccountSection
from portal.calendars import CalendarEvent, FeedProvider
from programmes import selectors
from programmes.services import notices


def my_programmes(request) -> AccountSection | None:
    enrolments = selectors.enrolments_of(request.user)
    ended = selectors.ended_without_end_questions(request.user)
    if not enrolments and not ended:
        return None
    for enrolment in enrolments:
        enrolment.named = notices.may_name(enrolment)
    return AccountSection(
        title="Your appointments",
        template="programmes/includes/my_appointments.html",
        context={"enrolments": enrolments, "ended": ended},
        order=12,
    )


class ProgrammeWeeks(FeedProvider):
    """A participant's weeks (from the one they joined, cancelled ones left out)."""

    def events(self, user) -> list[CalendarEvent]:
        return [
            notices.calendar_event(enrolment, session)
            for enrolment in selectors.confirmed_enrolments_of(user)
            for session in notices.their_weeks(enrolment, upcoming=False)
        ]

    def is_discreet(self, event, plan) -> bool:
        return True
