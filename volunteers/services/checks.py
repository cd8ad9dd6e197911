"""DBS records: the outcome the coordinator records (never a scan), and renewal reminders."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal import audit, notify
from volunteers import selectors
from volunteers.models import CLOSED, Application, DBSCheck

UPDATE_SERVICE_CHECK_DAYS = 365


def renewal_date(issued_on: date) -> date:
    years = settings.VOLUNTEER_DBS_RENEWAL_YEARS
    try:
        return issued_on.replace(year=issued_on.year + years)
    except ValueError:  # 29 February
        return issued_on.replace(year=issued_on.year + years, day=28)


@transaction.atomic
def record_dbs(
    application: Application,
    *,
    by,
    level: str,
    certificate_number: str,
    issued_on: date,
    update_service: bool,
    outcome: str,
    status_checked_on: date | None = None,
) -> DBSCheck:
    from volunteers.services.pipeline import complete_by_evidence

    previous = DBSCheck.objects.filter(application=application).first()
    # A new certificate starts its renewal reminders afresh; a correction keeps them.
    same_certificate = previous is not None and previous.issued_on == issued_on
    check, _ = DBSCheck.objects.update_or_create(
        application=application,
        defaults={
            "level": level,
            "certificate_number": certificate_number.strip(),
            "issued_on": issued_on,
            "update_service": update_service,
            "outcome": outcome,
            "renewal_due_on": renewal_date(issued_on),
            "status_checked_on": status_checked_on,
            "reminders_sent": previous.reminders_sent if same_certificate else [],
            "recorded_by": by,
            "recorded_at": timezone.now(),
        },
    )
    audit.record(by, audit.Action.CHANGE, check, application=application.pk)
    complete_by_evidence(application)
    return check


def _tell_coordinators(check: DBSCheck, *, kind: str, subject: str, context: dict) -> None:
    for coordinator in selectors.coordinators_for(check.application):
        notify.send(
            coordinator,
            notify.Message(
                kind=kind,
                template=f"volunteers/emails/{kind.split('.')[-1]}",
                subject=subject,
                context={"check": check, "application": check.application, **context},
                concerns=check.application,
            ),
        )


def dbs_renewal_reminders(today: date | None = None) -> int:
    """Daily: tell the coordinators of each volunteer whose DBS renewal is within one of
    VOLUNTEER_DBS_RENEWAL_REMINDER_DAYS (once per threshold), and of each Update Service
    subscriber whose status has not been checked for a year. Returns reminders sent."""
    today = today or timezone.localdate()
    sent = 0
    thresholds = settings.VOLUNTEER_DBS_RENEWAL_REMINDER_DAYS
    checks = DBSCheck.objects.select_related("application__user").exclude(
        application__stage__in=CLOSED
    )
    for check in checks:
        days_left = (check.renewal_due_on - today).days
        due = [d for d in thresholds if days_left <= d and d not in check.reminders_sent]
        with transaction.atomic():
            if due and days_left >= 0:
                check.reminders_sent = sorted({*check.reminders_sent, *due})
                check.save(update_fields=["reminders_sent"])
                _tell_coordinators(
                    check,
                    kind="volunteers.dbs_renewal",
                    subject=f"DBS renewal due in {days_left} days ({check.application.reference})",
                    context={"days_left": days_left},
                )
                sent += 1
            last_check = check.status_checked_on or check.issued_on
            if (
                check.update_service
                and today - last_check >= timedelta(days=UPDATE_SERVICE_CHECK_DAYS)
                and (
                    check.status_check_reminded_on is None
                    or check.status_check_reminded_on
                    < last_check + timedelta(days=UPDATE_SERVICE_CHECK_DAYS)
                )
            ):
                check.status_check_reminded_on = today
                check.save(update_fields=["status_check_reminded_on"])
                _tell_coordinators(
                    check,
                    kind="volunteers.update_service_check",
                    subject=f"Check the DBS Update Service status ({check.application.reference})",
                    context={},
                )
                sent += 1
    return sent
