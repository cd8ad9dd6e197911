"""What volunteers are told about their shifts, through portal.notify (their safe-contact
plan decides the channel, the time and whether it goes discreet). Subjects never name the
service or the role, and the calendar files are always discreet: a neutral title, no
description or link; the place, which notify and the feed drop unless the person chose
to be told it. A volunteer may have lived experience: a calendar is seen by others."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from portal import calendars, notify
from portal.places import HoldingStatus
from volunteers.models import Shift, ShiftSignup

TEMPLATES = "volunteers/emails/shifts"


def calendar_event(signup: ShiftSignup) -> calendars.CalendarEvent:
    shift = signup.shift
    return calendars.CalendarEvent(
        uid=f"{signup.calendar_uid}@shifts.portal",
        sequence=signup.sequence + shift.sequence,
        start=shift.starts_at,
        end=shift.ends_at,
        title=calendars.NEUTRAL_TITLE,
        location=shift.venue,
    )


def _when(shift: Shift) -> str:
    return f"{timezone.localtime(shift.starts_at):%A %-d %B, %H:%M}"


def _send(signup: ShiftSignup, template: str, subject: str, *, calendar: str = "", **context):
    attachments = []
    if calendar:
        event = calendar_event(signup)
        if calendar == "CANCEL":
            ics = calendars.cancellation(event, discreet=True)
        else:
            ics = calendars.invite(event, discreet=True)
        attachments.append(calendars.as_attachment(ics, method=calendar))
    shift = signup.shift
    notify.send(
        signup.application.user,
        notify.Message(
            kind=f"volunteers.shift_{template}",
            template=f"{TEMPLATES}/{template}",
            subject=f"{subject}: {_when(shift)}",
            context={
                "shift": shift,
                "signup": signup,
                "starts_at": timezone.localtime(shift.starts_at),
                "ends_at": timezone.localtime(shift.ends_at),
                "shifts_url": settings.SITE_URL + reverse("volunteers:shifts"),
                **context,
            },
            attachments=attachments,
            concerns=signup,
        ),
    )


def place_changed(signup: ShiftSignup, previous: str) -> None:
    """The places engine moved the sign-up (inside its transaction)."""
    status = signup.status
    if status == HoldingStatus.CONFIRMED:
        signup.sequence += 1
        signup.save(update_fields=["sequence"])
        _send(signup, "confirmed", "Your shift", calendar="REQUEST")
    elif status == HoldingStatus.HELD:
        _send(signup, "requested", "Shift request received")
    elif status == HoldingStatus.OFFERED:
        _send(
            signup, "offered", "A shift place is free", until=timezone.localtime(signup.expires_at)
        )
    elif status == HoldingStatus.WAITING and previous == "":
        _send(signup, "waiting", "On the waiting list for a shift")
    elif status in (HoldingStatus.CANCELLED, HoldingStatus.EXPIRED) and previous in (
        HoldingStatus.CONFIRMED,
        HoldingStatus.HELD,
        HoldingStatus.OFFERED,
    ):
        was_place = previous == HoldingStatus.CONFIRMED
        if was_place:
            signup.sequence += 1
            signup.save(update_fields=["sequence"])
        _send(
            signup,
            "ended",
            "Shift cancelled" if signup.shift.is_cancelled else "Shift place ended",
            calendar="CANCEL" if was_place else "",
            shift_cancelled=signup.shift.is_cancelled,
            was_request=previous == HoldingStatus.HELD,
            was_offer=previous == HoldingStatus.OFFERED,
        )
    elif status == HoldingStatus.CANCELLED and signup.shift.is_cancelled:
        _send(signup, "ended", "Shift cancelled", shift_cancelled=True)


def shift_moved(shift: Shift) -> int:
    """A shift's time or place changed: everyone with a place gets the calendar update."""
    told = 0
    for signup in shift.holdings.filter(status=HoldingStatus.CONFIRMED).select_related(
        "application__user"
    ):
        _send(signup, "moved", "Shift changed", calendar="REQUEST")
        told += 1
    return told


def remind(signup: ShiftSignup) -> None:
    _send(signup, "reminder", "Reminder: your shift")


class ShiftPlaces(calendars.FeedProvider):
    """A volunteer's confirmed shifts in their private feed, always discreet (see above)."""

    def events(self, user) -> list[calendars.CalendarEvent]:
        from volunteers.selectors import signups_of

        return [
            calendar_event(signup)
            for signup in signups_of(user, upcoming=False).filter(status=HoldingStatus.CONFIRMED)
        ]

    def is_discreet(self, event, plan) -> bool:
        return True
