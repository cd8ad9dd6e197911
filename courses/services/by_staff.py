"""Bookings taken by staff for someone who phoned."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from courses import payments as course_payments
from courses.models import (
    Booking,
)
from courses.services.booking import BookingError, book
from courses.services.messages import _tell_booker
from portal import audit
from portal.contact import selectors as contact_selectors
from portal.places import HoldingStatus

# Bookings taken by staff for someone who phoned.


@dataclass(frozen=True)
class CallerDetails:
    name: str
    email: str
    phone: str = ""
    discreet: bool = False


def caller_account(caller: CallerDetails, *, by):
    """The account a phoned-in booking is made in: the caller's own (found by email; an
    account cannot be signed in to before its address is verified, so only the address's
    owner ever sees it), or a new one with no password that they can claim by resetting it.
    Staff only add what is missing (a phone number) and can turn discreet messages on,
    never off: the caller's own choices stand."""
    from portal.accounts.models import User

    email = caller.email.strip().lower()
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        created = user is None
        if created:
            user = User.objects.create_user(email, first_name=caller.name.strip()[:150])
        changed = []
        if caller.phone.strip() and not user.phone:
            user.phone = caller.phone.strip()
            changed.append("phone")
        if changed:
            user.save(update_fields=changed)
        if caller.discreet and not contact_selectors.is_discreet(user):
            plan = contact_selectors.plan_or_default(user)
            plan.service_may_be_named = False
            plan.save()
            changed.append("discreet")
        if created or changed:
            audit.record(
                by,
                audit.Action.CREATE if created else audit.Action.CHANGE,
                user,
                event="caller_account",
                fields=changed,
            )
    return user


def book_for_caller(*, caller: CallerDetails, by, **booking) -> Booking:
    """`book` for someone who phoned, in their account (see `caller_account`), by staff
    member `by`. A booking refused leaves no new account behind."""
    with transaction.atomic():
        user = caller_account(caller, by=by)
        return book(user=user, booked_by_staff=by, **booking)


def send_payment_link(booking: Booking, *, by) -> str:
    """Email the booker the card-payment page of their held booking (a booking staff took
    by phone); the link lasts as long as the hold. Returns the link. Raises BookingError when
    the booking is not waiting for payment or the payment page cannot be opened."""
    from portal.payments.services import PaymentError

    booking = Booking.objects.select_related("session__course", "booked_by").get(pk=booking.pk)
    if booking.status != HoldingStatus.HELD or booking.expires_at <= timezone.now():
        raise BookingError("This booking is no longer waiting for payment.")
    try:
        payment = course_payments.start_checkout(booking)
    except PaymentError as exc:
        raise BookingError(f"The card payment page could not be opened: {exc}") from exc
    with transaction.atomic():
        _tell_booker(
            booking,
            "payment_link",
            pay_url=payment.checkout_url,
            held_until=timezone.localtime(booking.expires_at),
        )
        audit.record(by, audit.Action.CHANGE, booking, event="payment_link_sent")
    return payment.checkout_url
