"""Staff's edits of a session (the session edit view in courses.wagtail_hooks): capacity
through the places engine, and a move or a cancellation told to everyone in it."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from courses.models import Attendee, Session
from courses.services.booking import release_attendees
from courses.services.changes import _cancel_attendee, _settle_payment
from courses.services.messages import _active_attendees, _send_calendar, _tell_booker
from portal import places
from portal.attendance.services import recompute_completion
from portal.places import HoldingStatus

# What attendees see of a session: a change to any of these sends them the updated invite.
ATTENDEE_VISIBLE = ("starts_at", "ends_at", "online", "venue", "joining_link")


def edit_session(session: Session, *, save: Callable[[], object] | None = None) -> Session:
    """Save staff's changes to `session` (an existing one, changed in memory) and carry them
    through in one transaction: a cancellation cancels every booking through the places
    engine and tells everyone; a change of time or place sends every confirmed attendee the
    updated invite; a new capacity goes through the engine (raised, the new places are
    offered to the waiting list at once; places.PlacesError below the places taken, and
    nothing is saved). `save` stores the other fields (the admin form's save; by default
    `session.save()`)."""
    with transaction.atomic():
        before = Session.objects.select_for_update().get(pk=session.pk)
        capacity = session.capacity
        session.capacity = before.capacity  # the engine changes it, under its rules
        (save or session.save)()
        cancelled = Session.Status.CANCELLED
        if session.status == cancelled and before.status != cancelled:
            session_changed(session, cancelled=True)
        elif session.status == Session.Status.SCHEDULED and any(
            getattr(before, field) != getattr(session, field) for field in ATTENDEE_VISIBLE
        ):
            session_changed(session, cancelled=False)
        if capacity != before.capacity:
            places.set_capacity(session, capacity)
            session.capacity = capacity
    return session


def session_changed(session: Session, *, cancelled: bool) -> int:
    """A session moved or was cancelled: every confirmed attendee gets the updated invite or
    the cancellation; on a cancellation every booking ends (through the engine), waiting
    and offered ones too, with a cancellation email to the booker and a full refund. The
    stored completion of those marked at it is recomputed (a cancelled session no longer
    counts; a moved one may not have been held yet)."""
    sent = 0
    with transaction.atomic():
        session = Session.objects.select_for_update().select_related("course").get(pk=session.pk)
        for attendee in _active_attendees(session):
            if cancelled:
                _cancel_attendee(attendee, Attendee.Status.CANCELLED, send=True)
            else:
                attendee.calendar_sequence += 1
                attendee.reminder_sent_at = None
                attendee.save(update_fields=["calendar_sequence", "reminder_sent_at"])
                _send_calendar(attendee, "session_updated", cancelled=False)
            sent += 1
        if cancelled:
            for booking, previous in places.cancel_offering(session):
                if previous != HoldingStatus.CONFIRMED:
                    release_attendees(booking)
                _settle_payment(booking, amount_pence=None, reason="The session was cancelled.")
                _tell_booker(booking, "session_cancelled")
        recompute_completion(session)
    return sent
