"""Every write about shifts, through the places engine (portal.places): a coordinator
creates, edits and cancels shifts, approves requests and fills places by hand; a volunteer
signs up (refused when they do not hold the role's requirements, overlap another place,
or the shift is full with no waiting), accepts or declines an offer and cancels up to
VOLUNTEER_SHIFT_CANCEL_HOURS before the start. The daily-ish reminder job tells each
volunteer once, VOLUNTEER_SHIFT_REMINDER_HOURS before."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal import audit, places
from portal.places import HoldingStatus
from volunteers import selectors
from volunteers.models import Application, Shift, ShiftSignup


class ShiftError(Exception):
    """A change of shifts refused; the message is fit to show the person."""


def not_eligible_because(application: Application, shift: Shift) -> str | None:
    """The engine's eligibility hook: asked of every request and waiting entry, locked."""
    if shift.is_cancelled:
        return "This shift is cancelled."
    if shift.starts_at <= timezone.now():
        return "This shift has already started."
    return selectors.requirements_missing(
        application, shift.role, timezone.localtime(shift.starts_at).date()
    )


def _until_start(shift: Shift) -> timedelta:
    return shift.starts_at - timezone.now()


def sign_up(shift: Shift, application: Application) -> ShiftSignup:
    """The volunteer asks for a place: confirmed (instant), held for approval (until the
    shift starts), or on the waiting list when it is full."""
    if not shift.sign_up_open():
        raise ShiftError("Sign-up for this shift has closed.")
    already = ShiftSignup.objects.filter(
        shift=shift, application=application, status__in=places.ACTIVE
    )
    if already.exists():
        raise ShiftError("You have already signed up for this shift.")
    hold_for = _until_start(shift) if shift.needs_approval else None
    try:
        return places.request_places(shift, hold_for=hold_for, application=application)
    except places.PlacesError as error:
        raise ShiftError(str(error)) from error


def accept_offer(signup: ShiftSignup) -> ShiftSignup:
    hold_for = _until_start(signup.shift) if signup.shift.needs_approval else None
    try:
        return places.accept_offer(signup, hold_for=hold_for)
    except places.PlacesError as error:
        raise ShiftError(str(error)) from error


def decline_offer(signup: ShiftSignup) -> ShiftSignup:
    try:
        return places.decline_offer(signup)
    except places.PlacesError as error:
        raise ShiftError(str(error)) from error


def cancel_cutoff(shift: Shift) -> datetime:
    return shift.starts_at - timedelta(hours=settings.VOLUNTEER_SHIFT_CANCEL_HOURS)


def may_cancel(signup: ShiftSignup, now=None) -> bool:
    """A waiting entry may leave at any time; a place only up to the cut-off."""
    if signup.is_waiting:
        return True
    return signup.is_active and (now or timezone.now()) < cancel_cutoff(signup.shift)


def cancel(signup: ShiftSignup) -> ShiftSignup:
    """The volunteer gives up their place (or request, offer or waiting entry)."""
    if not may_cancel(signup):
        raise ShiftError(
            "It is too close to the shift to cancel here. Please ring your volunteer coordinator."
        )
    return places.release_places(signup)


# Coordinator's writes (the views have checked the shift is in their scope).


def _weeks_later(moment: datetime, weeks: int) -> datetime:
    wall = timezone.localtime(moment).replace(tzinfo=None) + timedelta(weeks=weeks)
    return timezone.make_aware(wall)


@transaction.atomic
def create_shifts(*, by, capacity: int, weeks: int = 1, **fields) -> list[Shift]:
    """One shift, or the same shift every week for `weeks` weeks (a weekly drop-in), at the
    same local time whatever the clocks do."""
    made = []
    for week in range(weeks):
        moved = {
            name: _weeks_later(fields[name], week)
            for name in ("starts_at", "ends_at", "sign_up_closes_at")
        }
        shift = Shift.objects.create(capacity=capacity, created_by=by, **{**fields, **moved})
        audit.record(by, audit.Action.CHANGE, shift, created=True)
        made.append(shift)
    return made


@transaction.atomic
def edit_shift(shift: Shift, *, by, capacity: int, **fields) -> Shift:
    """Change a shift: its places through the engine (never below those taken); a new time
    or place raises its SEQUENCE and sends everyone on it the calendar update."""
    from volunteers.services import shift_notices

    locked = Shift.objects.select_for_update().get(pk=shift.pk)
    if locked.is_cancelled:
        raise ShiftError("This shift is cancelled.")
    moved = any(
        getattr(locked, name) != fields[name]
        for name in ("starts_at", "ends_at", "venue")
        if name in fields
    )
    for name, value in fields.items():
        setattr(locked, name, value)
    if moved:
        locked.sequence += 1
    locked.save()
    if capacity != locked.capacity:
        try:
            places.set_capacity(locked, capacity)
        except places.PlacesError as error:
            raise ShiftError(str(error)) from error
    audit.record(by, audit.Action.CHANGE, locked)
    if moved:
        shift_notices.shift_moved(locked)
    return locked


@transaction.atomic
def cancel_shift(shift: Shift, *, by) -> int:
    """The shift will not happen: every place and waiting entry is cancelled (each told)."""
    locked = Shift.objects.select_for_update().get(pk=shift.pk)
    if locked.is_cancelled:
        return 0
    locked.cancelled_at = timezone.now()
    locked.sequence += 1
    locked.save(update_fields=["cancelled_at", "sequence"])
    audit.record(by, audit.Action.CHANGE, locked, cancelled=True)
    return len(places.cancel_offering(locked))


def fill_by_hand(shift: Shift, application: Application, *, by) -> ShiftSignup:
    """A coordinator puts a volunteer on the shift: confirmed at once, whatever the sign-up
    mode or deadline, but never over capacity, to someone ineligible or overlapping."""
    if shift.is_cancelled:
        raise ShiftError("This shift is cancelled.")
    if ShiftSignup.objects.filter(
        shift=shift, application=application, status__in=places.TAKING_PLACES
    ).exists():
        raise ShiftError("They already have a place on this shift.")
    with transaction.atomic():
        waiting = ShiftSignup.objects.filter(
            shift=shift, application=application, status=HoldingStatus.WAITING
        ).first()
        if waiting is not None:
            places.leave_waiting_list(waiting)
        try:
            signup = places.request_places(
                shift, may_wait=False, application=application, added_by=by
            )
        except places.PlacesError as error:
            raise ShiftError(str(error)) from error
        audit.record(by, audit.Action.CHANGE, signup, filled_by_hand=True)
        return signup


def approve(signup: ShiftSignup, *, by) -> ShiftSignup:
    """Confirm a request held for approval."""
    with transaction.atomic():
        if signup.status != HoldingStatus.HELD:
            raise ShiftError("This request has already been answered.")
        ShiftSignup.objects.filter(pk=signup.pk).update(approved_by=by)
        if not places.confirm_held(signup):
            raise ShiftError("This request has already been answered.")
        audit.record(by, audit.Action.CHANGE, signup, approved=True)
    signup.refresh_from_db()
    return signup


def refuse(signup: ShiftSignup, *, by) -> ShiftSignup:
    if signup.status != HoldingStatus.HELD:
        raise ShiftError("This request has already been answered.")
    with transaction.atomic():
        signup = places.release_places(signup)
        audit.record(by, audit.Action.CHANGE, signup, refused=True)
    return signup


def send_reminders(now=None) -> int:
    """Scheduled: remind each confirmed volunteer once, VOLUNTEER_SHIFT_REMINDER_HOURS
    before their shift. The claim (an UPDATE of a still-empty `reminder_sent_at`) is made in
    the same transaction as the outbox row, so overlapping runs send one reminder."""
    from volunteers.services import shift_notices

    now = now or timezone.now()
    window = timedelta(hours=settings.VOLUNTEER_SHIFT_REMINDER_HOURS)
    due = ShiftSignup.objects.filter(
        status=HoldingStatus.CONFIRMED,
        reminder_sent_at__isnull=True,
        shift__cancelled_at__isnull=True,
        shift__starts_at__gt=now,
        shift__starts_at__lte=now + window,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            claimed = ShiftSignup.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if claimed:
                shift_notices.remind(
                    ShiftSignup.objects.select_related("shift__role", "application__user").get(
                        pk=pk
                    )
                )
                sent += 1
    return sent
