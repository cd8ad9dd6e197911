"""Changing bookings: cancelling, transferring, refunds, offers and the waiting list."""

from __future__ import annotations

from django.core import signing
from django.db import transaction
from django.utils import timezone

from courses import payments as course_payments
from courses.models import (
    Attendee,
    Booking,
    CancellationPolicy,
    Session,
    payment_hold,
)
from courses.services.booking import (
    AttendeeDetails,
    BookingError,
    _check_attendee_eligible,
    _user_with_email,
    release_attendees,
)
from courses.services.messages import (
    OFFER_SALT,
    _send_calendar,
    _send_invite,
    _tell_booker,
)
from portal import audit, places
from portal.crypto import blind_lookup
from portal.places import HoldingStatus


def cancel_booking(booking: Booking, *, by) -> Booking:
    """Cancel every place of a booking (or leave the waiting list), before the cut-off."""
    with transaction.atomic():
        booking = Booking.objects.select_related("session__course").get(pk=booking.pk)
        if not booking.is_active:
            raise BookingError("This booking is already cancelled.")
        _check_can_change(booking)
        had_places = booking.status == HoldingStatus.CONFIRMED
        # Only confirmed places were paid for (or invoiced); a checkout still open is closed.
        back = refund_due(booking, booking.total_pence) if had_places else None
        attendees = list(booking.attendees.filter(status=Attendee.Status.ACTIVE))
        places.release_places(booking)
        for attendee in attendees:
            _cancel_attendee(attendee, Attendee.Status.CANCELLED, send=had_places)
        _settle_payment(booking, amount_pence=back, reason="Booking cancelled before the cut-off.")
        audit.record(by, audit.Action.CHANGE, booking, event="booking_cancelled")
        booking.refresh_from_db()
        _tell_booker(booking, "booking_cancelled")
        return booking


def cancel_attendee(attendee: Attendee, *, by) -> Attendee:
    """Give back one attendee's place in a booking of several."""
    with transaction.atomic():
        attendee = Attendee.objects.select_related("booking__session__course").get(pk=attendee.pk)
        booking = attendee.booking
        if attendee.status != Attendee.Status.ACTIVE:
            raise BookingError("This place is already cancelled.")
        _check_can_change(booking)
        if booking.status == HoldingStatus.HELD:
            raise BookingError("Finish paying, or cancel the whole booking, first.")
        if booking.quantity == 1:
            cancel_booking(booking, by=by)
            attendee.refresh_from_db()
            return attendee
        places.release_places(booking, quantity=1)
        # Only a confirmed place was ever sent an invite to cancel.
        _cancel_attendee(
            attendee, Attendee.Status.CANCELLED, send=booking.status == HoldingStatus.CONFIRMED
        )
        _settle_payment(
            booking,
            amount_pence=refund_due(booking, booking.unit_price_pence),
            reason="A place cancelled before the cut-off.",
            key=f"attendee-{attendee.pk}",
        )
        audit.record(
            by, audit.Action.CHANGE, booking, event="place_cancelled", attendee=attendee.pk
        )
        return attendee


def transfer(attendee: Attendee, *, to: AttendeeDetails, by) -> Attendee:
    """Give a place to a colleague: the old attendee gets a cancellation, the new one an
    invite with a new uid (their calendar entry is theirs, not a copy of someone else's)."""
    email = to.email.strip().lower()
    with transaction.atomic():
        attendee = Attendee.objects.select_related("booking__session__course").get(pk=attendee.pk)
        booking = attendee.booking
        Session.objects.select_for_update().get(pk=booking.session_id)
        if attendee.status != Attendee.Status.ACTIVE:
            raise BookingError("This place is no longer active.")
        _check_can_change(booking)
        if email == attendee.email:
            raise BookingError("Give the email address of the person taking the place.", "email")
        if Attendee.objects.filter(
            session_id=booking.session_id,
            status=Attendee.Status.ACTIVE,
            **blind_lookup("email", email),
        ).exists():
            raise BookingError(f"{email} already has a place on this session.", "email")
        _check_attendee_eligible(booking.audience, email, booking.booked_by, field="email")
        # A held (unpaid) or offered place was never sent an invite: nothing to cancel.
        _cancel_attendee(
            attendee, Attendee.Status.TRANSFERRED, send=booking.status == HoldingStatus.CONFIRMED
        )
        new = Attendee.objects.create(
            booking=booking,
            session_id=booking.session_id,
            user=_user_with_email(email),
            name=to.name.strip(),
            email=email,
            needs=to.needs.strip(),
            transferred_from=attendee,
        )
        if booking.status == HoldingStatus.CONFIRMED:
            _send_invite(new)
        audit.record(
            by, audit.Action.CHANGE, booking, event="place_transferred", old=attendee.pk, new=new.pk
        )
        return new


def refund_due(booking: Booking, amount_pence: int, now=None) -> int:
    """What the cancellation policy gives back of `amount_pence` if the person cancels now."""
    return CancellationPolicy.current().refund_pence(amount_pence, booking.session.starts_at, now)


def _settle_payment(
    booking: Booking, *, amount_pence: int | None, reason: str, key: str = "cancelled"
) -> None:
    """Places of a priced booking were given back: refund `amount_pence` of what was paid by
    card (None: all that is left) and close a checkout still open, or take the same amount
    off what an invoiced organisation owes (it was never paid by card: no Stripe refund)."""
    if not booking.unit_price_pence:
        return
    if booking.is_invoiced:
        booking.refresh_from_db(
            fields=["invoice_owed_pence", "invoice_paid_at", "invoice_credit_pence"]
        )
        if booking.invoice_paid_at is None:
            less = booking.invoice_owed_pence if amount_pence is None else amount_pence
            booking.invoice_owed_pence = max(booking.invoice_owed_pence - less, 0)
            booking.save(update_fields=["invoice_owed_pence"])
        else:
            # Already paid: what is given back becomes a credit staff owe the organisation.
            left = booking.invoice_owed_pence - booking.invoice_credit_pence
            booking.invoice_credit_pence += min(
                left if amount_pence is None else amount_pence, left
            )
            booking.save(update_fields=["invoice_credit_pence"])
        return
    course_payments.expire_checkout_of(booking)
    if amount_pence is None or amount_pence > 0:
        course_payments.refund(booking, amount_pence=amount_pence, reason=reason, key=key)


def _check_can_change(booking: Booking) -> None:
    if booking.session.closes_at <= timezone.now():
        raise BookingError(
            "Changes closed at the booking cut-off. Contact us if you can no longer attend."
        )


def _cancel_attendee(attendee: Attendee, status: str, *, send: bool) -> None:
    attendee.status = status
    attendee.calendar_sequence += 1
    attendee.save(update_fields=["status", "calendar_sequence"])
    if send:
        _send_calendar(attendee, "place_cancelled", cancelled=True)


def booking_for_offer(token: str, user) -> Booking:
    """The offered booking a link points to, or BookingError for a bad or stale link."""
    try:
        pk, offered_at = signing.loads(token, salt=OFFER_SALT)
    except signing.BadSignature as exc:
        raise BookingError("This offer link is not valid. Check it was copied in full.") from exc
    booking = Booking.objects.select_related("session__course").filter(pk=pk).first()
    if booking is None or booking.booked_by_id != user.pk:
        raise BookingError("This offer was made to someone else. Sign in as the person it went to.")
    if (
        booking.status != HoldingStatus.OFFERED
        or booking.status_changed_at.isoformat() != offered_at
    ):
        if booking.status == HoldingStatus.EXPIRED:
            raise BookingError("This offer has expired and the places were offered to others.")
        raise BookingError("This offer has already been used or withdrawn.")
    return booking


def accept_offer(token: str, user) -> Booking:
    booking = booking_for_offer(token, user)
    try:
        hold_for = payment_hold() if booking.unit_price_pence and not booking.is_invoiced else None
        booking = places.accept_offer(booking, hold_for=hold_for)
    except places.PlacesError as exc:
        raise BookingError(str(exc)) from exc
    audit.record(user, audit.Action.CHANGE, booking, event="offer_accepted")
    return booking


def decline_offer(token: str, user) -> Booking:
    """The booker turns offered places down: they pass to the next on the waiting list now."""
    booking = booking_for_offer(token, user)
    with transaction.atomic():
        try:
            booking = places.decline_offer(booking)
        except places.PlacesError as exc:
            raise BookingError(str(exc)) from exc
        release_attendees(booking)
        audit.record(user, audit.Action.CHANGE, booking, event="offer_declined")
    return booking


def leave_waiting_list(booking: Booking, *, by) -> Booking:
    """The booker takes their entry off the waiting list (it held no places)."""
    with transaction.atomic():
        try:
            booking = places.leave_waiting_list(booking)
        except places.PlacesError as exc:
            raise BookingError(str(exc)) from exc
        release_attendees(booking)
        audit.record(by, audit.Action.CHANGE, booking, event="left_waiting_list")
    return booking


def offer_manually(booking: Booking, *, by) -> Booking:
    try:
        booking = places.offer_to(booking)
    except places.PlacesError as exc:
        raise BookingError(str(exc)) from exc
    audit.record(by, audit.Action.CHANGE, booking, event="offer_made")
    return booking
