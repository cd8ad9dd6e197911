"""Completion from the shared register (closed: 9 of the weeks held; rolling: every topic,
across cycles) and the participant's private feed (discreet, parsed by a second parser)."""

from datetime import timedelta

import pytest
import time_machine
import vobject

from portal.attendance.models import AttendanceStatus
from portal.attendance.registry import source_by_key
from portal.attendance.selectors import completion_of
from portal.attendance.services import mark
from portal.calendars import personal_feed
from programmes import services
from tests.factories import UserFactory
from tests.programmes.builders import cohort, coordinator, enrolled, enrolled_with_account

pytestmark = pytest.mark.django_db

SOURCE = "programmes.programmesession"


def _attend(enrolment, weeks, by, status=AttendanceStatus.PRESENT):
    for week in weeks:
        with time_machine.travel(week.starts_at + timedelta(minutes=1)):
            mark(week, enrolment, status, by=by)


def _completion(enrolment):
    return completion_of(source_by_key(SOURCE), enrolment.cohort, enrolment)


def test_closed_completion_is_nine_of_the_weeks_held_cancelled_ones_not_counted(toolkit):
    by = coordinator("north")
    enrolment = enrolled(cohort(toolkit), by=by)
    weeks = list(enrolment.cohort.sessions.order_by("week"))
    services.cancel_session(weeks[-1])
    held = weeks[:-1]
    _attend(enrolment, held[:8], by)
    _attend(enrolment, held[8:], by, AttendanceStatus.ABSENT)
    progress = _completion(enrolment)
    assert (progress.attended, progress.held, progress.completed) == (8, 11, False)
    with time_machine.travel(held[-1].ends_at):  # the register of week 9 corrected
        mark(held[8], enrolment, AttendanceStatus.LATE, by=by)
    progress = _completion(enrolment)
    assert (progress.attended, progress.held, progress.completed) == (9, 11, True)


def test_rolling_completion_joins_at_week_5_and_completes_at_week_4_of_the_next_cycle(freedom):
    by = coordinator("north")
    group = cohort(freedom, weeks=24)
    weeks = list(group.sessions.order_by("week"))
    with time_machine.travel(weeks[3].ends_at + timedelta(hours=1)):
        enrolment = enrolled(group, by=by)
    assert enrolment.joined_week == 5
    _attend(enrolment, weeks[4:15], by)  # weeks 5 to 12, then 1 to 3 of the next cycle
    assert not _completion(enrolment).completed
    _attend(enrolment, weeks[15:16], by)  # week 4 of the next cycle
    assert _completion(enrolment).completed


def test_the_private_feed_has_their_weeks_discreetly(toolkit):
    user = UserFactory(plan={"service_may_be_named": True})
    by = coordinator("north")
    enrolment = enrolled_with_account(cohort(toolkit, venue="Hope Centre"), user, by=by)
    assert enrolment.user == user  # the referral's address is their verified one
    services.cancel_session(enrolment.cohort.sessions.get(week=2))
    ics = personal_feed(user).decode()
    parsed = vobject.readOne(ics)
    events = parsed.vevent_list
    assert len(events) == 11
    for event in events:
        assert event.summary.value == "Appointment"
        assert not hasattr(event, "location") and not hasattr(event, "description")
    assert "Recovery" not in ics and "Hope Centre" not in ics
