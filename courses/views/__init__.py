"""HTTP only: forms in, services called, pages out."""

from courses.views.booking import book, pay
from courses.views.catalogue import SESSIONS_PER_PAGE, catalogue, course_detail
from courses.views.common import error_summary
from courses.views.feeds import public_feed
from courses.views.manage import (
    attendee_calendar,
    booking_detail,
    cancel_attendee,
    cancel_booking,
    offer,
    transfer,
)

__all__ = [
    "SESSIONS_PER_PAGE",
    "attendee_calendar",
    "book",
    "booking_detail",
    "cancel_attendee",
    "cancel_booking",
    "catalogue",
    "course_detail",
    "error_summary",
    "offer",
    "pay",
    "public_feed",
    "transfer",
]
