"""The places offered from a referral, in that referral's subject-access download and
erasure (registered with `referrals.subject_access.register_related` in `ready()`).

The download holds each place (programme, locality, dates, where it stands, what they or
staff wrote), their apologies, check-ins and attempts, register marks and outcome answers,
and the assessment interviews for the referral's person. Erasure deletes all of it, with the
messages about each place and the detail of every audit row about it: the register marks,
stored completion and outcome responses first, then the places (their apologies and
check-ins with them) and the assessments, so the referral and its plan can go after them.
A place still held is deleted without telling anyone: the person asked for it to go."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from portal import audit, notify
from portal.attendance.models import AttendanceMark, SeriesCompletion
from portal.outcomes import selectors as outcome_selectors
from portal.outcomes import services as outcomes
from referrals.models import Referral
from referrals.subject_access import RelatedRecords

from .models import Assessment, CheckIn, Enrolment, ProgrammeSession


def _when(value):
    return timezone.localtime(value).isoformat() if value else None


def _marks(enrolment: Enrolment):
    return AttendanceMark.objects.filter(
        person_type=ContentType.objects.get_for_model(Enrolment), person_id=enrolment.pk
    )


def _enrolments(referral: Referral):
    return (
        Enrolment.objects.filter(referral=referral)
        .select_related("cohort__programme", "cohort__locality")
        .prefetch_related("apologies__session", "check_ins__session", "check_ins__attempts")
        .order_by("requested_at", "pk")
    )


def _one(enrolment: Enrolment) -> dict:
    cohort = enrolment.cohort
    weeks = dict(ProgrammeSession.objects.filter(cohort=cohort).values_list("pk", "week"))
    return {
        "programme": cohort.programme.title,
        "locality": cohort.locality.name,
        "group_starts_on": cohort.start_date.isoformat(),
        "venue": cohort.venue,
        "status": enrolment.get_status_display(),
        "asked_at": _when(enrolment.requested_at),
        "accepted_at": _when(enrolment.accepted_at),
        "joined_week": enrolment.joined_week,
        "withdrawn_at": _when(enrolment.withdrawn_at),
        "withdrawal_reason": enrolment.withdrawal_reason,
        "notes": enrolment.notes,
        "apologies": [
            {"week": a.session.week, "sent_at": _when(a.sent_at), "reason": a.reason}
            for a in enrolment.apologies.all()
        ],
        "check_ins": [
            {
                "week": c.session.week,
                "due_at": _when(c.due_at),
                "closed_at": _when(c.closed_at),
                "attempts": [
                    {
                        "at": _when(a.at),
                        "channel": a.get_channel_display(),
                        "outcome": a.get_outcome_display(),
                        "note": a.note,
                    }
                    for a in c.attempts.all()
                ],
            }
            for c in enrolment.check_ins.all()
        ],
        "register": [
            {"week": weeks.get(m.occurrence_id), "status": m.get_status_display()}
            for m in _marks(enrolment).order_by("marked_at")
        ],
        "outcome_answers": outcome_selectors.subject_access(enrolment),
    }


def export(referral: Referral) -> dict:
    return {
        "places": [_one(enrolment) for enrolment in _enrolments(referral)],
        "assessments": [
            {
                "programme": a.programme.title,
                "recorded_at": _when(a.recorded_at),
                "suitable": a.suitable,
                "notes": a.notes,
            }
            for a in Assessment.objects.filter(plan=referral.plan_id).select_related("programme")
        ],
    }


@transaction.atomic
def erase(referral: Referral, by) -> None:
    for enrolment in Enrolment.objects.select_for_update().filter(referral=referral):
        marks = _marks(enrolment)
        for mark in marks:
            audit.erase_detail(mark)
        marks.delete()
        SeriesCompletion.objects.filter(
            person_type=ContentType.objects.get_for_model(Enrolment), person_id=enrolment.pk
        ).delete()
        outcomes.erase_for(enrolment, by=by)
        notify.erase_for(enrolment)
        for record in (enrolment, *CheckIn.objects.filter(enrolment=enrolment)):
            audit.erase_detail(record)
        audit.record(by, audit.Action.ERASE, enrolment, request="erasure")
        enrolment.delete()  # its apologies, check-ins and attempts with it
    for assessment in Assessment.objects.filter(plan=referral.plan_id):
        audit.erase_detail(assessment)
        assessment.delete()


RELATED = RelatedRecords(key="recovery_programmes", export=export, erase=erase)
