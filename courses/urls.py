"""Training URLs that are not Wagtail pages (booking, my bookings, calendar feeds)."""

from django.urls import path
from django.views.generic import RedirectView

from courses import invoices, views
from portal import identifiers  # noqa: F401 - registers the strict converters

app_name = "courses"
urlpatterns = [
    path("sessions/<int:pk>/book/", views.book, name="book"),
    path("bookings/<booking_ref:reference>/", views.booking_detail, name="booking"),
    path("bookings/<booking_ref:reference>/pay/", views.pay, name="pay"),
    path("bookings/<booking_ref:reference>/invoice.pdf", invoices.booker_invoice, name="invoice"),
    path("bookings/<booking_ref:reference>/cancel/", views.cancel_booking, name="cancel"),
    path(
        "bookings/<booking_ref:reference>/places/<int:pk>/cancel/",
        views.cancel_attendee,
        name="cancel_attendee",
    ),
    path(
        "bookings/<booking_ref:reference>/places/<int:pk>/transfer/",
        views.transfer,
        name="transfer",
    ),
    path(
        "bookings/<booking_ref:reference>/places/<int:pk>/calendar.ics",
        views.attendee_calendar,
        name="attendee_calendar",
    ),
    path("offers/<signed:token>/", views.offer, name="offer"),
    path("calendar/public.ics", views.public_feed, name="public_feed"),
    # The private feed's address before it moved to portal.calendars: calendars subscribed to
    # it follow the permanent redirect (and update their address, where they can).
    path(
        "calendar/<token:token>.ics",
        RedirectView.as_view(pattern_name="calendar_feed", permanent=True),
        name="personal_feed",
    ),
]
