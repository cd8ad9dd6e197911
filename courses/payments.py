"""Where course bookings meet portal.payments: checkout for priced places, and what happens
when the money arrives, the checkout lapses or a refund is made.

A priced booking holds its places (status held, expiring with the places engine's hold)
while checkout is open. Paid in time: confirmed. Paid after the hold lapsed: confirmed only
if the places (and the attendees' places) are still free, otherwise `on_paid` says no and
portal.payments refunds in full.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from courses.models import Attendee, Booking
from portal import audit, places
from portal.crypto import blind_lookup
from portal.payments import selectors as payment_selectors
from portal.payments import services as payments
from portal.payments.models import Payment
from portal.places import HoldingStatus

PURPOSE = "courses.booking"


def start_checkout(booking: Booking) -> Payment:
    """Open (or find) the checkout for a held booking. Raises payments.PaymentError."""
    session = booking.session
    booking_url = settings.SITE_URL + reverse("courses:booking", args=[booking.reference])
    when = timezone.localtime(session.starts_at)
    return payments.start_checkout(
        purpose=PURPOSE,
        reference=booking.reference,
        amount_pence=booking.total_pence,
        description=f"{session.course.title}, {when:%-d %B %Y}: "
        f"{booking.quantity} place{'s' if booking.quantity > 1 else ''}",
        customer_email=booking.booked_by.email,
        success_url=booking_url,
        cancel_url=booking_url,
        hold_expires_at=booking.expires_at,
        metadata={"booking_id": str(booking.pk)},
        payer=booking.booked_by,
    )


def payment_for(booking: Booking) -> Payment | None:
    return payment_selectors.current_payment(PURPOSE, booking.reference)


def refund(booking: Booking, *, amount_pence: int | None, reason: str, key: str) -> None:
    """Refund a cancelled place: reserved in the cancelling transaction, sent to Stripe after
    it commits. Stripe being down never fails the cancellation nor loses the refund (the
    payments sweep retries it), and one refund failing does not stop the others."""
    payment = payment_for(booking)
    if payment is None or payment.status not in payments.PAID_STATES:
        return
    payments.refund_after_commit(payment, amount_pence=amount_pence, reason=reason, key=key)


def expire_checkout_of(booking: Booking) -> None:
    """Our hold lapsed: close the checkout so it can no longer be paid."""
    payment = payment_for(booking)
    if payment is not None and payment.status == Payment.Status.OPEN:
        transaction.on_commit(lambda: payments.expire_checkout(payment))


class BookingPayments:
    """The handler portal.payments calls for purpose "courses.booking"."""

    def on_paid(self, payment: Payment) -> bool:
        booking = Booking.objects.filter(reference=payment.reference).first()
        if booking is None:
            return False
        with transaction.atomic():
            if booking.status == HoldingStatus.EXPIRED and not _reclaim_attendees(booking):
                return False
            honoured = places.confirm_held(booking)
            if not honoured:
                transaction.set_rollback(True)
        if honoured:
            audit.record(
                None, audit.Action.CHANGE, booking, event="booking_paid", payment=payment.pk
            )
        return honoured

    def on_expired(self, payment: Payment) -> None:
        booking = Booking.objects.filter(reference=payment.reference).first()
        if booking is not None and booking.status == HoldingStatus.HELD:
            from courses import services

            with transaction.atomic():
                booking = places.release_places(booking)
                services.release_attendees(booking)
                # Checkout expired or failed at Stripe before our hold lapsed: the booker
                # is told, as when the hold lapses (places.expire -> booking_status_changed).
                services.tell_booker_hold_lapsed(booking)

    def on_refunded(self, payment: Payment, refund) -> None:
        booking = Booking.objects.filter(reference=payment.reference).first()
        if booking is not None:
            audit.record(
                None,
                audit.Action.CHANGE,
                booking,
                event="booking_refunded",
                pence=refund.amount_pence,
            )


def _reclaim_attendees(booking: Booking) -> bool:
    """Paid after the hold lapsed: the attendees get their places back unless someone with
    the same email has booked the session since."""
    attendees = list(booking.attendees.filter(status=Attendee.Status.CANCELLED))
    emails = [a.email for a in attendees]
    if Attendee.objects.filter(
        session_id=booking.session_id,
        status=Attendee.Status.ACTIVE,
        **blind_lookup("email", *emails),
    ).exists():
        return False
    Attendee.objects.filter(pk__in=[a.pk for a in attendees]).update(status=Attendee.Status.ACTIVE)
    return True
