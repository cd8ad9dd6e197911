"""Every write about course bookings: book, cancel, transfer, offers, session changes, reminders.

Places are decided by portal.places; this module names the people in them, prices them and
tells them (through portal.notify, with a calendar invite or cancellation per attendee).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from courses import payments as course_payments
from courses.models import (
    Attendee,
    Audience,
    Booking,
    CalendarFeedToken,
    CancellationPolicy,
    PaymentMethod,
    Session,
    payment_hold,
)
from portal import audit, calendars, notify, places
from portal.accounts.models import Organisation, Sector
from portal.contact import selectors as contact_selectors
from portal.crypto import blind_lookup
from portal.payments import stripe_api
from portal.places import HoldingStatus

REMINDER_BEFORE = timedelta(days=2)
OFFER_SALT = "courses.offer"


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


def offer_url(booking: Booking) -> str:
    token = signing.dumps(
        [booking.pk, booking.status_changed_at.isoformat()], salt=OFFER_SALT, compress=True
    )
    return settings.SITE_URL + reverse("courses:offer", args=[token])


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


def session_changed(session: Session, *, cancelled: bool) -> int:
    """Staff moved or cancelled a session: every confirmed attendee gets the updated invite or
    the cancellation; waiting and offered bookings end with a cancellation email."""
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
            for booking in session.holdings.filter(status__in=places.ACTIVE):
                previous = booking.status
                booking.status = HoldingStatus.CANCELLED
                booking.expires_at = None
                booking.status_changed_at = timezone.now()
                booking.save(update_fields=["status", "expires_at", "status_changed_at"])
                if previous != HoldingStatus.CONFIRMED:
                    release_attendees(booking)
                _settle_payment(booking, amount_pence=None, reason="The session was cancelled.")
                _tell_booker(booking, "session_cancelled")
    return sent


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


def _discreet(attendee: Attendee) -> bool:
    return _recipient(attendee).discreet


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
    discreet rules as the invite they were emailed."""
    return calendars.invite(calendar_event(attendee), discreet=_discreet(attendee))


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
    discreet = _discreet(attendee)
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
        ),
    )


def feed_token(user, *, renew: bool = False) -> CalendarFeedToken:
    """The person's private feed token; `renew` replaces it, so the old address stops working."""
    token, created = CalendarFeedToken.objects.get_or_create(
        user=user, defaults={"token": CalendarFeedToken.new_token()}
    )
    if renew and not created:
        token.token = CalendarFeedToken.new_token()
        token.save(update_fields=["token", "created_at"])
    return token


def tell_booker_hold_lapsed(booking: Booking) -> None:
    """The places held while the booker paid by card were released unpaid."""
    _tell_booker(booking, "payment_hold_expired")


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
