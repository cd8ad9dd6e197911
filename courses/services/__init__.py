"""Every write about course bookings: book, cancel, transfer, offers, session changes, reminders.

Places are decided by portal.places; this module names the people in them, prices them and
tells them (through portal.notify, with a calendar invite or cancellation per attendee).
"""

from courses.services.booking import (
    CARD_UNAVAILABLE,
    ORGANISATION_AUDIENCES,
    SECTOR_AUDIENCES,
    AttendeeDetails,
    BookingError,
    book,
    booking_status_changed,
    eligible_audiences,
    is_council_address,
    mark_invoice_credited,
    mark_invoice_paid,
    organisation_audience,
    organisation_for,
    release_attendees,
    unique_reference,
)
from courses.services.by_staff import (
    CallerDetails,
    book_for_caller,
    caller_account,
    send_payment_link,
)
from courses.services.changes import (
    accept_offer,
    booking_for_offer,
    cancel_attendee,
    cancel_booking,
    decline_offer,
    leave_waiting_list,
    offer_manually,
    refund_due,
    transfer,
)
from courses.services.messages import (
    BOOKER_SUBJECTS,
    OFFER_SALT,
    REMINDER_BEFORE,
    calendar_event,
    calendar_file,
    offer_url,
    send_reminders,
    tell_booker_hold_lapsed,
)
from courses.services.sessions import edit_session, session_changed

__all__ = [
    "AttendeeDetails",
    "BOOKER_SUBJECTS",
    "BookingError",
    "CARD_UNAVAILABLE",
    "CallerDetails",
    "OFFER_SALT",
    "ORGANISATION_AUDIENCES",
    "REMINDER_BEFORE",
    "SECTOR_AUDIENCES",
    "accept_offer",
    "book",
    "book_for_caller",
    "booking_for_offer",
    "booking_status_changed",
    "calendar_event",
    "calendar_file",
    "caller_account",
    "cancel_attendee",
    "cancel_booking",
    "decline_offer",
    "edit_session",
    "eligible_audiences",
    "is_council_address",
    "leave_waiting_list",
    "mark_invoice_credited",
    "mark_invoice_paid",
    "offer_manually",
    "offer_url",
    "organisation_audience",
    "organisation_for",
    "refund_due",
    "release_attendees",
    "send_payment_link",
    "send_reminders",
    "session_changed",
    "tell_booker_hold_lapsed",
    "transfer",
    "unique_reference",
]
