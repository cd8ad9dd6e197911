"""The missed-session follow-up: someone marked absent without having sent apologies gets a
safe check-in on their coordinators' list, due at the next safe window of their plan; each
try is logged as triage logs its contact attempts (only channels the plan marks safe)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from portal.attendance.models import AttendanceStatus
from portal.contact.windows import next_safe_time
from programmes.models import Apology, CheckIn, CheckInAttempt, Enrolment, ProgrammeSession
from programmes.services.errors import ProgrammeError
from referrals.models import CHANNEL_FLAGS, AttemptOutcome

MAX_NOTE = 2000


def safe_channels(plan) -> list[str]:
    return [channel for channel, flag in CHANNEL_FLAGS.items() if getattr(plan, flag)]


def next_safe_window(plan, at):
    if not safe_channels(plan):
        return None
    return next_safe_time(plan.safe_days, plan.safe_windows, at)


@transaction.atomic
def absence_marked(enrolment_id: int, session_id: int, status: str) -> CheckIn | None:
    """From the register (a mark saved): absent without apologies opens a check-in; any
    other mark closes one that nobody has tried yet."""
    open_check_in = CheckIn.objects.filter(
        enrolment_id=enrolment_id, session_id=session_id, closed_at__isnull=True
    )
    if status != AttendanceStatus.ABSENT:
        open_check_in.filter(attempts__isnull=True).update(closed_at=timezone.now())
        return None
    if Apology.objects.filter(enrolment_id=enrolment_id, session_id=session_id).exists():
        return None
    enrolment = Enrolment.objects.select_related("plan").get(pk=enrolment_id)
    session = ProgrammeSession.objects.get(pk=session_id)
    check_in, _ = CheckIn.objects.get_or_create(
        enrolment=enrolment,
        session=session,
        defaults={"due_at": next_safe_window(enrolment.plan, max(session.ends_at, timezone.now()))},
    )
    return check_in


@transaction.atomic
def log_check_in_attempt(
    check_in: CheckIn, *, by, channel: str, outcome: str, note: str = ""
) -> CheckInAttempt:
    check_in = (
        CheckIn.objects.select_for_update().select_related("enrolment__plan").get(pk=check_in.pk)
    )
    plan = check_in.enrolment.plan
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ProgrammeError(f"Keep the note to {MAX_NOTE} characters or fewer.", "note")
    if channel not in safe_channels(plan):
        raise ProgrammeError("Their safe-contact plan does not mark that way as safe.", "channel")
    if outcome == AttemptOutcome.VOICEMAIL and not plan.voicemail_allowed:
        raise ProgrammeError("Their safe-contact plan does not allow a voicemail.", "outcome")
    now = timezone.now()
    attempt = CheckInAttempt.objects.create(
        check_in=check_in,
        channel=channel,
        outcome=outcome,
        at=now,
        inside_safe_window=next_safe_time(plan.safe_days, plan.safe_windows, now) == now,
        by=by,
        note=note,
    )
    if outcome == AttemptOutcome.SPOKE:
        check_in.closed_at = now
        check_in.save(update_fields=["closed_at"])
    return attempt


@transaction.atomic
def close_check_in(check_in: CheckIn) -> CheckIn:
    """No longer needed (they came back, or were reached another way)."""
    CheckIn.objects.filter(pk=check_in.pk, closed_at__isnull=True).update(closed_at=timezone.now())
    check_in.refresh_from_db()
    return check_in
