"""Telling people: reminders, offers, invites and cancellations (with their calendar files),
and the booker's emails."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from courses.models import (
    Attendee,
    Booking,
    Session,
)
from portal import calendars, notify
from portal.places import HoldingStatus

REMINDER_BEFORE = timedelta(days=2)
OFFER_SALT = "courses.offer"


def offer_url(booking: Booking) -> str:
    token = signing.dumps(
        [booking.pk, booking.status_changed_at.isoformat()], salt=OFFER_SALT, compress=True
    )
    return settings.SITE_URL + reverse("courses:offer", args=[token])


def _active_attendees(session: Session):
    return (
        Attendee.objects.filter(
            session=session,
            status=Attendee.Status.ACTIVE,
            booking__status=HoldingStatus.CONFIRMED,
        )
        .select_related("user", "booking")
        .order_by("pk")
    )


def send_reminders(now=None) -> int:
    """Scheduled: remind confirmed attendees two days before, with joining instructions for
    online sessions. Each attendee is reminded once."""
    now = now or timezone.now()
    sent = 0
    due = Session.objects.filter(
        status=Session.Status.SCHEDULED, starts_at__gt=now, starts_at__lte=now + REMINDER_BEFORE
    ).select_related("course")
    for session in due:
        with transaction.atomic():
            for attendee in _active_attendees(session).filter(reminder_sent_at__isnull=True):
                notify.send(
                    _recipient(attendee),
                    notify.Message(
                        kind="courses.reminder",
                        template="courses/emails/reminder",
                        subject=f"Reminder: {session.course.title}",
                        context=_context(attendee),
                        concerns=attendee,
                    ),
                )
                attendee.reminder_sent_at = now
                attendee.save(update_fields=["reminder_sent_at"])
                sent += 1
    return sent


def _recipient(attendee: Attendee) -> notify.Recipient:
    if attendee.user is not None:
        return notify.Recipient.for_user(attendee.user)
    return notify.Recipient(email=attendee.email, name=attendee.name)


def _as_notify_sees(attendee: Attendee) -> notify.Recipient:
    """The attendee as notify contacts them: their own plan and those of their address's
    owners, which decide whether calendar files are discreet and keep the place."""
    return notify.with_address_owners_preferences(_recipient(attendee))


def calendar_event(attendee: Attendee) -> calendars.CalendarEvent:
    session = attendee.session
    course = session.course
    where = "Online" if session.online else session.venue
    description = course.summary
    if session.online and session.joining_link:
        description += f"\n\nJoin online: {session.joining_link}"
    return calendars.CalendarEvent(
        uid=f"{attendee.calendar_uid}@courses.portal",
        sequence=attendee.calendar_sequence,
        start=session.starts_at,
        end=session.ends_at,
        title=course.title,
        description=description,
        location=where,
        url=settings.SITE_URL + reverse("courses:booking", args=[attendee.booking.reference]),
        attendee_email=attendee.email,
        attendee_name=attendee.name,
    )


def calendar_file(attendee: Attendee) -> bytes:
    """The attendee's place as an .ics file to add to a calendar: the same event, uid and
    discreet rules as the invite they were emailed (discreet: no place unless their plan
    says they may be told it)."""
    recipient = _as_notify_sees(attendee)
    ics = calendars.invite(calendar_event(attendee), discreet=recipient.discreet)
    if not recipient.discreet:
        return ics
    return calendars.make_discreet(
        ics.decode(), keep_location=recipient.location_when_discreet
    ).encode()


def _context(attendee: Attendee) -> dict:
    session = attendee.session
    return {
        "attendee": attendee,
        "session": session,
        "course": session.course,
        "starts_at": timezone.localtime(session.starts_at),
        "ends_at": timezone.localtime(session.ends_at),
        "reference": attendee.booking.reference,
    }


def _send_invite(attendee: Attendee) -> None:
    _send_calendar(attendee, "attendee_invite", cancelled=False)


def _send_invites(booking: Booking) -> None:
    for attendee in booking.attendees.filter(status=Attendee.Status.ACTIVE).select_related(
        "user", "session__course", "booking"
    ):
        _send_invite(attendee)


def _send_calendar(attendee: Attendee, template: str, *, cancelled: bool) -> None:
    discreet = _as_notify_sees(attendee).discreet
    event = calendar_event(attendee)
    if cancelled:
        ics, method = calendars.cancellation(event, discreet=discreet), "CANCEL"
    else:
        ics, method = calendars.invite(event, discreet=discreet), "REQUEST"
    subjects = {
        "attendee_invite": "Your place",
        "session_updated": "Session changed",
        "place_cancelled": "Place cancelled",
    }
    notify.send(
        _recipient(attendee),
        notify.Message(
            kind=f"courses.{template}",
            template=f"courses/emails/{template}",
            subject=f"{subjects[template]}: {attendee.session.course.title}",
            context=_context(attendee),
            attachments=[calendars.as_attachment(ics, method=method)],
            concerns=attendee,
        ),
    )


BOOKER_SUBJECTS = {
    "booking_made": "Booking {reference}",
    "booking_confirmed": "Booking {reference} confirmed",
    "booking_cancelled": "Booking {reference} cancelled",
    "place_offered": "A place is free: booking {reference}",
    "offer_expired": "Offer expired: booking {reference}",
    "payment_hold_expired": "Not paid in time: booking {reference} released",
    "session_cancelled": "Session cancelled: booking {reference}",
    "payment_link": "Pay for booking {reference}",
}


def _tell_booker(booking: Booking, template: str, **extra) -> None:
    session = booking.session
    notify.send(
        notify.Recipient.for_user(booking.booked_by),
        notify.Message(
            kind=f"courses.{template}",
            template=f"courses/emails/{template}",
            subject=BOOKER_SUBJECTS[template].format(reference=booking.reference),
            context={
                "booking": booking,
                "session": session,
                "course": session.course,
                "starts_at": timezone.localtime(session.starts_at),
                "attendees": list(booking.attendees.all()),
                "booking_url": settings.SITE_URL
                + reverse("courses:booking", args=[booking.reference]),
                **extra,
            },
            concerns=booking,
        ),
    )


def tell_booker_hold_lapsed(booking: Booking) -> None:
    """The places held while the booker paid by card were released unpaid."""
    _tell_booker(booking, "payment_hold_expired")
