"""Booking places: who may book at which price, the booking itself, invoices."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from courses import payments as course_payments
from courses.models import (
    Attendee,
    Audience,
    Booking,
    PaymentMethod,
    Session,
    payment_hold,
)
from courses.services.messages import (
    _send_invites,
    _tell_booker,
    offer_url,
    tell_booker_hold_lapsed,
)
from portal import audit, places
from portal.accounts.models import Organisation, Sector
from portal.crypto import blind_lookup
from portal.payments import stripe_api
from portal.places import HoldingStatus


class BookingError(Exception):
    """A booking the rules refuse; the message is fit to show the person."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class AttendeeDetails:
    name: str
    email: str
    needs: str = ""


SECTOR_AUDIENCES = {
    Sector.PARTNER_AGENCY: Audience.PARTNER_AGENCY,
    Sector.PUBLIC_SECTOR: Audience.PARTNER_AGENCY,
    Sector.BUSINESS: Audience.BUSINESS,
    Sector.VOLUNTARY: Audience.VOLUNTARY,
}


# The audience of places booked for an organisation: its sector's, council staff for a
# council; a sector with no audience of its own books at the public price.
ORGANISATION_AUDIENCES = {**SECTOR_AUDIENCES, Sector.COUNCIL: Audience.COUNCIL_STAFF}


def organisation_audience(organisation: Organisation) -> str:
    """The one audience every place booked for `organisation` is priced at."""
    return ORGANISATION_AUDIENCES.get(organisation.sector, Audience.PUBLIC)


def eligible_audiences(user, organisation: Organisation | None = None) -> list[str]:
    """Audiences this person may book as. Booking for an organisation, every place is at the
    organisation's audience (a business cannot book its staff at the free public price).
    Booking only themself, a person picks what they are: council staff (a verified council
    address), the audience of an organisation they belong to, or a member of the public."""
    if organisation is not None:
        return [organisation_audience(organisation)]
    audiences = []
    if user.is_council_staff:
        audiences.append(Audience.COUNCIL_STAFF)
    for org in user.organisations.all():
        audience = SECTOR_AUDIENCES.get(org.sector)
        if audience and audience not in audiences:
            audiences.append(audience)
    audiences.append(Audience.PUBLIC)
    return audiences


def is_council_address(email: str) -> bool:
    domains = {d.lower() for d in settings.COUNCIL_EMAIL_DOMAINS}
    return email.strip().rsplit("@", 1)[-1].lower() in domains


def _check_attendee_eligible(audience: str, email: str, booker, *, field: str) -> None:
    """The council-staff price is for council staff only: each place at it must be for the
    booker (whose council address is verified) or for someone at a council address (their
    invite and joining details go only to that council mailbox). Others are refused rather
    than silently charged: the booker books them at their own audience's price."""
    if audience != Audience.COUNCIL_STAFF:
        return
    if email == booker.email.strip().lower() or is_council_address(email):
        return
    raise BookingError(
        f"{email} is not a council email address. The council-staff price is only for "
        "council staff: book anyone else separately, at the price for their audience.",
        field,
    )


def organisation_for(user, organisation_id) -> Organisation | None:
    """The organisation `organisation_id` names (from a query string or form, so any text),
    if the user belongs to it. Anything else, including text that is not an id, is refused."""
    if not str(organisation_id or "").strip():
        return None
    try:
        pk = int(str(organisation_id).strip())
    except ValueError:
        pk = None
    organisation = user.organisations.filter(pk=pk).first() if pk and pk > 0 else None
    if organisation is None:
        raise BookingError("You can only book for an organisation you belong to.", "organisation")
    return organisation


def book(
    *,
    session: Session,
    user,
    audience: str,
    attendees: list[AttendeeDetails],
    organisation: Organisation | None = None,
    pay_by: str = PaymentMethod.CARD,
    purchase_order: str = "",
    booked_by_staff=None,
) -> Booking:
    """Book places for the named attendees: confirmed (free, or priced and invoiced to an
    organisation staff mark as invoiced), held while paying by card (priced), or on the
    waiting list when the session is full. One reference, one email to the booker and a
    calendar invite to each attendee once the places are confirmed.

    `booked_by_staff`: the member of staff booking for `user` (who phoned). Staff vouch for
    the caller's organisation and audience, so membership is not asked for; it is recorded on
    the booking and the audit row is theirs."""
    if not attendees:
        raise BookingError("Name at least one attendee.", "attendees")
    if len(attendees) > 1 and organisation is None:
        raise BookingError(
            "To book more than one place, book for your organisation.", "organisation"
        )
    vouched = booked_by_staff is not None
    if (
        organisation is not None
        and not vouched
        and not user.organisations.filter(pk=organisation.pk).exists()
    ):
        raise BookingError("You can only book for an organisation you belong to.", "organisation")
    emails = [a.email.strip().lower() for a in attendees]
    if len(set(emails)) != len(emails):
        raise BookingError("Each attendee needs their own email address.", "attendees")
    if audience not in Audience.values:
        raise BookingError("You cannot book at this price.", "audience")
    if not vouched and audience not in eligible_audiences(user, organisation):
        if organisation is not None:
            raise BookingError(
                f"Places booked for {organisation.name} are at the price for "
                f"{Audience(organisation_audience(organisation)).label.lower()}.",
                "audience",
            )
        raise BookingError("You cannot book at this price.", "audience")
    for email in emails:
        _check_attendee_eligible(audience, email, user, field="attendees")
    price = session.course.price_for(audience)
    if price is None:
        raise BookingError(
            f"This course is not open to {Audience(audience).label.lower()} bookings.", "audience"
        )
    invoiced = _check_payment_method(organisation, pay_by, purchase_order) and price > 0
    if price and not invoiced and not stripe_api.configured():
        raise BookingError(CARD_UNAVAILABLE, "payment")
    _check_open(session)
    try:
        with transaction.atomic():
            # Locks the session row: re-checked under the lock, so a session cancelled a
            # moment ago cannot be booked.
            locked = Session.objects.select_for_update().get(pk=session.pk)
            _check_open(locked)
            taken = Attendee.objects.filter(
                session=locked, status=Attendee.Status.ACTIVE, **blind_lookup("email", *emails)
            ).values_list("email", flat=True)
            if taken:
                raise BookingError(
                    f"{', '.join(sorted(taken))} already has a place on this session "
                    "(or is on its waiting list).",
                    "attendees",
                )
            booking = places.request_places(
                locked,
                quantity=len(attendees),
                hold_for=payment_hold() if price and not invoiced else None,
                reference=unique_reference(),
                booked_by=user,
                organisation=organisation,
                audience=audience,
                unit_price_pence=price,
                payment_method=PaymentMethod.INVOICE if invoiced else PaymentMethod.CARD,
                purchase_order=purchase_order.strip() if invoiced else "",
                booked_by_staff=booked_by_staff,
                booked_by_staff_at=timezone.now() if vouched else None,
            )
            Attendee.objects.bulk_create(
                [
                    Attendee(
                        booking=booking,
                        session=locked,
                        # A caller staff booked for: their account, even before they
                        # verify its address, so their discreet choice holds for the invite.
                        user=user if vouched and email == user.email else _user_with_email(email),
                        name=details.name.strip(),
                        email=email,
                        needs=details.needs.strip(),
                    )
                    for details, email in zip(attendees, emails, strict=True)
                ]
            )
            audit.record(
                booked_by_staff or user,
                audit.Action.CREATE,
                booking,
                event="booked",
                status=booking.status,
                **({"booked_for": user.pk} if vouched else {}),
            )
            if booking.status == HoldingStatus.CONFIRMED:
                _record_invoice(booking)
            _tell_booker(booking, "booking_made")
            if booking.status == HoldingStatus.CONFIRMED:
                _send_invites(booking)
            return booking
    except places.NoPlaces as exc:
        raise BookingError(str(exc), "attendees") from exc
    except IntegrityError as exc:
        # Two requests for the same person at once: the constraint decided.
        raise BookingError(
            "One of the attendees already has a place on this session.", "attendees"
        ) from exc


CARD_UNAVAILABLE = (
    "Paying by card is not available on this site, so paid places cannot be booked here. "
    "Contact us to book."
)


def _check_payment_method(
    organisation: Organisation | None, pay_by: str, purchase_order: str
) -> bool:
    """True if the places are to be invoiced to the organisation (with a purchase order)."""
    if pay_by == PaymentMethod.CARD:
        return False
    if pay_by != PaymentMethod.INVOICE:
        raise BookingError("Choose how you will pay.", "payment")
    if organisation is None or not organisation.invoiced:
        raise BookingError(
            "Paying by invoice is only for organisations we invoice. Choose to pay by card, "
            "or ask us to set up invoicing for your organisation.",
            "payment",
        )
    if not purchase_order.strip():
        raise BookingError("Enter your purchase-order number.", "purchase_order")
    return True


def _record_invoice(booking: Booking) -> None:
    """An invoiced booking's places are confirmed: the organisation owes their price."""
    if booking.is_invoiced and booking.unit_price_pence:
        booking.invoice_owed_pence = booking.total_pence
        booking.save(update_fields=["invoice_owed_pence"])


def mark_invoice_credited(booking: Booking, *, by) -> Booking:
    """A coordinator records that the credit owed to an organisation has been given."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if not booking.invoice_credit_pence or booking.invoice_credited_at is not None:
            raise BookingError(f"Booking {booking.reference} has no credit due.")
        booking.invoice_credited_at = timezone.now()
        booking.save(update_fields=["invoice_credited_at"])
        audit.record(
            by,
            audit.Action.CHANGE,
            booking,
            event="invoice_credited",
            pence=booking.invoice_credit_pence,
        )
    return booking


def mark_invoice_paid(booking: Booking, *, by) -> Booking:
    """A coordinator records that an invoiced booking has been paid."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if not booking.is_invoiced:
            raise BookingError("This booking is not invoiced.")
        if booking.invoice_paid_at is not None:
            raise BookingError(f"Booking {booking.reference} is already marked paid.")
        booking.invoice_paid_at = timezone.now()
        booking.save(update_fields=["invoice_paid_at"])
        audit.record(
            by, audit.Action.CHANGE, booking, event="invoice_paid", pence=booking.invoice_owed_pence
        )
    return booking


def _check_open(session: Session) -> None:
    if session.status == Session.Status.CANCELLED:
        raise BookingError("This session has been cancelled.")
    if session.starts_at <= timezone.now():
        raise BookingError("This session has already started.")
    if not session.is_open_for_booking:
        raise BookingError("Booking for this session has closed.")


def unique_reference() -> str:
    while True:
        reference = Booking.new_reference()
        if not Booking.objects.filter(reference=reference).exists():
            return reference


def _user_with_email(email: str):
    # Only an account that verified the address: one opened in the attendee's name must not
    # take their place's messages, certificates or preferences.
    from portal.accounts.selectors import user_with_verified_email

    return user_with_verified_email(email)


def booking_status_changed(booking: Booking, previous: str) -> None:
    """portal.places calls this when it moves a booking (offers, confirmations, expiries)."""
    if previous == "":
        return  # a new booking: `book` tells people once its attendees exist
    if booking.status == HoldingStatus.OFFERED:
        _tell_booker(booking, "place_offered", accept_url=offer_url(booking))
    elif booking.status == HoldingStatus.CONFIRMED and previous != HoldingStatus.CONFIRMED:
        _record_invoice(booking)
        _tell_booker(booking, "booking_confirmed")
        _send_invites(booking)
    elif booking.status == HoldingStatus.EXPIRED and previous == HoldingStatus.OFFERED:
        release_attendees(booking)
        _tell_booker(booking, "offer_expired")
    elif booking.status == HoldingStatus.EXPIRED and previous == HoldingStatus.HELD:
        release_attendees(booking)
        course_payments.expire_checkout_of(booking)
        tell_booker_hold_lapsed(booking)


def release_attendees(booking: Booking) -> None:
    booking.attendees.filter(status=Attendee.Status.ACTIVE).update(status=Attendee.Status.CANCELLED)
