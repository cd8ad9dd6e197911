"""Retention: a programme place that ended more than PROGRAMMES_RETENTION_DAYS ago (left,
declined or lapsed: counted from that change; or held to the group's last week: counted
from its end) is anonymised by the daily job `anonymise_ended_enrolments`. The rows stay
with what the reports count (cohort, status, the week they joined, the dates, register
marks, stored completion, apologies and check-ins as events, each outcome response's score);
what the person said goes: the withdrawal reason, staff notes, apology reasons, check-in
attempts' notes, outcome answers item by item (`portal.outcomes.services.anonymise_for`),
the link to their account, the accept link and every message about the place. Assessment
interviews recorded before the cutoff keep only whether the person was suitable. The person's
name and contact details are on the referral's safe-contact plan, which the referral's own
retention blanks."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from portal import audit, notify
from portal.outcomes import services as outcomes
from portal.places import HoldingStatus

from .models import Apology, Assessment, CheckInAttempt, Enrolment

ENDED = (HoldingStatus.CANCELLED, HoldingStatus.EXPIRED)


def anonymise(enrolment: Enrolment) -> None:
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        enrolment.withdrawal_reason = ""
        enrolment.notes = ""
        enrolment.user = None
        enrolment.token_digest = ""
        enrolment.anonymised_at = timezone.now()
        enrolment.save()
        Apology.objects.filter(enrolment=enrolment).update(reason="")
        CheckInAttempt.objects.filter(check_in__enrolment=enrolment).update(note="")
        outcomes.anonymise_for(enrolment)
        notify.erase_for(enrolment)
        audit.record(None, audit.Action.ERASE, enrolment, reason="retention period over")


def anonymise_ended_enrolments(now: datetime | None = None) -> int:
    """Daily: anonymise the places that ended longer ago than the retention period."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.PROGRAMMES_RETENTION_DAYS)
    due = Enrolment.objects.filter(
        Q(status__in=ENDED, status_changed_at__lt=cutoff) | Q(cohort__ends_at__lt=cutoff),
        anonymised_at__isnull=True,
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        anonymise(Enrolment(pk=pk))
        count += 1
    Assessment.objects.filter(recorded_at__lt=cutoff).update(notes="")
    return count
