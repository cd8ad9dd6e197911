"""Retention (places ended longer ago than PROGRAMMES_RETENTION_DAYS are anonymised by a
daily job, counts kept), and a referral's subject-access download and erasure, which take
its programme places with them."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django_q.models import Schedule

from portal.attendance.models import AttendanceMark, AttendanceStatus
from portal.attendance.services import mark
from portal.outcomes.models import Response
from programmes import reports, retention, services
from programmes.models import Apology, Assessment, CheckInAttempt, Enrolment
from programmes.services.check_ins import safe_channels
from referrals import subject_access
from referrals.models import Referral
from tests.programmes.builders import cohort, coordinator, enrolled
from tests.referrals.leftovers import leftovers

pytestmark = pytest.mark.django_db

REASON = "Moving in with my sister"
APOLOGY = "Hospital appointment"
NOTE = "Rang, she is safe"
ASSESSED = "Ready for a group now"


def _answered(enrolment) -> Response:
    return Response.objects.create(
        subject_type=ContentType.objects.get_for_model(Enrolment),
        subject_id=enrolment.pk,
        measure="feel_safer",
        occasion="start",
        entered_by="staff",
        answered_on=timezone.localdate(),
        answers=json.dumps({"safer": 4}),
    )


@pytest.fixture
def place(toolkit):
    """Someone who sent apologies for week 3, missed week 1 (checked in on) and left."""
    by = coordinator("north")
    enrolment = enrolled(cohort(toolkit), by=by)
    weeks = list(enrolment.cohort.sessions.order_by("week"))
    services.send_apologies(enrolment, weeks[2], reason=APOLOGY, by=by)
    _answered(enrolment)
    services.record_assessment(
        programme=toolkit, plan=enrolment.plan, suitable=True, notes=ASSESSED, by=by
    )
    with time_machine.travel(weeks[0].starts_at + timedelta(minutes=5)):
        mark(weeks[0], enrolment, AttendanceStatus.ABSENT, by=by)
    check_in = enrolment.check_ins.get()
    services.log_check_in_attempt(
        check_in, channel=safe_channels(enrolment.plan)[0], outcome="spoke", note=NOTE, by=by
    )
    with time_machine.travel(weeks[1].starts_at + timedelta(hours=3)):
        services.withdraw(enrolment, reason=REASON, by=by)
    return Enrolment.objects.get(pk=enrolment.pk), by


def test_ended_places_are_anonymised_after_the_period_and_counts_stay(place, settings):
    settings.PROGRAMMES_RETENTION_DAYS = 730
    enrolment, by = place
    ongoing = enrolled(cohort(enrolment.cohort.programme, "south"))
    before = reports.withdrawals(user=None)
    assert retention.anonymise_ended_enrolments() == 0  # not yet
    later = timezone.now() + timedelta(days=760)  # they left in week 2, two weeks ahead
    assert retention.anonymise_ended_enrolments(now=later) == 1
    assert retention.anonymise_ended_enrolments(now=later) == 0  # once

    enrolment.refresh_from_db()
    assert enrolment.anonymised_at and enrolment.withdrawal_reason == ""
    assert leftovers(REASON, APOLOGY, NOTE, ASSESSED) == []
    assert Apology.objects.filter(enrolment=enrolment).exists()
    assert CheckInAttempt.objects.filter(check_in__enrolment=enrolment).count() == 1
    assert AttendanceMark.objects.filter(person_id=enrolment.pk).count() == 1
    response = Response.objects.get(subject_id=enrolment.pk)
    assert response.anonymised_at and response.score == 4
    assert Assessment.objects.filter(plan=enrolment.plan, suitable=True).count() == 2
    after = reports.withdrawals(user=None)
    assert [r["withdrawals"] for r in after] == [r["withdrawals"] for r in before]
    ongoing.refresh_from_db()
    assert ongoing.anonymised_at is None  # the group has not ended


def test_the_job_is_scheduled_daily():
    schedule = Schedule.objects.get(func="programmes.retention.anonymise_ended_enrolments")
    assert schedule.minutes == 24 * 60 and schedule.repeats == -1


def test_subject_access_holds_the_places_and_erasure_takes_them_first(place):
    enrolment, by = place
    referral = enrolment.referral
    other = enrolled(cohort(enrolment.cohort.programme, "north"), by=by)
    data = subject_access.export([referral], by=by)
    (exported,) = data["referrals"][0]["recovery_programmes"]["places"]
    assert exported["withdrawal_reason"] == REASON and exported["programme"] == "Recovery Toolkit"
    assert exported["apologies"][0] == {
        "week": 3,
        "sent_at": exported["apologies"][0]["sent_at"],
        "reason": APOLOGY,
    }
    assert exported["check_ins"][0]["attempts"][0]["note"] == NOTE
    assert exported["register"] == [{"week": 1, "status": "Absent"}]
    assert exported["outcome_answers"][0]["score"] == "4"
    assert data["referrals"][0]["recovery_programmes"]["assessments"][0]["suitable"] is True

    # The enrolment and assessment protect the referral and its plan: they go first.
    assert subject_access.erase([referral], by=by) == 1
    assert not Referral.objects.filter(pk=referral.pk).exists()
    assert not Enrolment.objects.filter(pk=enrolment.pk).exists()
    assert not AttendanceMark.objects.filter(person_id=enrolment.pk).exists()
    assert not Response.objects.filter(subject_id=enrolment.pk).exists()
    assert leftovers(REASON, APOLOGY, NOTE, ASSESSED) == []
    assert Enrolment.objects.filter(pk=other.pk).exists()  # someone else's place stays
