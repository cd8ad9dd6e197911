"""Retention: an application withdrawn or not progressed more than VOLUNTEER_RETENTION_DAYS
ago is anonymised by the daily job `anonymise_closed_applications`. Its row stays, with its
stage, dates, localities and roles, so reports still count it; everything that says who the
person is or what anyone said about them goes: the link to their account, their answers,
the referees and their answers, the DBS record, notes, stage reasons and its messages."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal import audit, notify
from volunteers.models import CLOSED, Application, DBSCheck, Note, Reference, StageChange

PERSONAL_FIELDS = (
    "phone",
    "postcode",
    "experience",
    "motivation",
    "lived_experience",
    "conflicts_of_interest",
    "override_reason",
)


def anonymise(application: Application) -> None:
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        for name in PERSONAL_FIELDS:
            setattr(application, name, "")
        application.availability = []
        application.user = None
        application.anonymised_at = timezone.now()
        application.save()
        Reference.objects.filter(application=application).update(
            name="",
            email="",
            relationship="",
            token="",
            token_digest="",
            known_for="",
            suitability="",
            concerns="",
            recommends=None,
        )
        DBSCheck.objects.filter(application=application).delete()
        Note.objects.filter(application=application).delete()
        StageChange.objects.filter(application=application).update(reason="")
        notify.erase_for(application)
        audit.record(None, audit.Action.ERASE, application, reason="retention period over")


def anonymise_closed_applications(now: datetime | None = None) -> int:
    """Daily: anonymise what has been closed longer than the retention period."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.VOLUNTEER_RETENTION_DAYS)
    due = Application.objects.filter(
        stage__in=CLOSED, stage_entered_at__lt=cutoff, anonymised_at__isnull=True
    )
    count = 0
    for application in due:
        anonymise(application)
        count += 1
    return count
