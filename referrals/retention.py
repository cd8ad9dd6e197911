"""Retention: a referral finished with more than REFERRALS_RETENTION_DAYS ago (closed,
passed to another service or to the high-risk route: `FINISHED`, counted from the decision,
or from the closure for a case a community worker had)
is anonymised by the daily job `anonymise_finished_referrals`. The row stays with what the
reports count (kind, source, caller type, locality, status, route, risk level and its reason
codes, outcome and the dates: made, first contact, decided), and so do its contact attempts
(channel, outcome, time) and handovers (from and to); everything that says who the person
or the referrer is, or what anyone said, goes: every encrypted field of the referral and
of its safe-contact plan, the attempts' notes, the handovers' reasons, the case notes, the
link to the referrer's account and every message about it. A referral still with a
community worker is ongoing casework and is kept."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal import audit, notify
from portal.crypto import EncryptedTextField

from .models import CaseNote, ContactAttempt, Handover, Referral, Status

FINISHED = (Status.CLOSED, Status.REFERRED_ON, Status.HIGH_RISK)


def _blank_encrypted(record: models.Model) -> None:
    for field in record._meta.concrete_fields:
        if isinstance(field, EncryptedTextField):
            setattr(record, field.attname, "")


def anonymise(referral: Referral) -> None:
    with transaction.atomic():
        referral = Referral.objects.select_for_update().select_related("plan").get(pk=referral.pk)
        _blank_encrypted(referral)
        referral.referred_by = None
        referral.anonymised_at = timezone.now()
        referral.save()  # the blind indexes follow their emptied sources
        plan = referral.plan
        _blank_encrypted(plan)
        plan.safe_days, plan.safe_windows, plan.review_date = [], [], None
        plan.save()
        ContactAttempt.objects.filter(referral=referral).update(note="")
        Handover.objects.filter(referral=referral).update(reason="")
        CaseNote.objects.filter(referral=referral).delete()
        notify.erase_for(referral)
        notify.erase_for(plan)
        audit.record(None, audit.Action.ERASE, referral, reason="retention period over")


def anonymise_finished_referrals(now: datetime | None = None) -> int:
    """Daily: anonymise what was finished with longer ago than the retention period."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.REFERRALS_RETENTION_DAYS)
    due = (
        Referral.objects.filter(status__in=FINISHED, anonymised_at__isnull=True)
        .annotate(finished_at=Coalesce("closed_at", "decided_at"))
        .filter(finished_at__lt=cutoff)
        .values_list("pk", flat=True)
    )
    count = 0
    for pk in list(due):
        anonymise(Referral(pk=pk))
        count += 1
    return count
