"""Staff views for one session: its bookings and waiting list (with a manual offer), and the
attendee list as a spreadsheet (CSV)."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from courses import selectors, services
from courses.models import Attendee, Booking, Session
from portal import audit
from portal.places import HoldingStatus


def _session(pk: int) -> Session:
    return get_object_or_404(selectors.with_places(Session.objects.select_related("course")), pk=pk)


@permission_required("courses.view_booking", raise_exception=True)
def session_people(request, pk: int):
    session = _session(pk)
    bookings = (
        Booking.objects.filter(session=session)
        .select_related("booked_by", "organisation")
        .prefetch_related("attendees")
        .order_by("requested_at", "pk")
    )
    audit.record_view(request, session)
    return TemplateResponse(
        request,
        "courses/admin/session_people.html",
        {
            "session": session,
            "taking": [b for b in bookings if b.takes_places],
            "waiting": [b for b in bookings if b.status == HoldingStatus.WAITING],
            "ended": [b for b in bookings if not b.is_active],
            "places_left": max(session.capacity - session.taken, 0),
            "can_offer": request.user.has_perm("courses.change_booking"),
        },
    )


@require_POST
@permission_required("courses.change_booking", raise_exception=True)
def offer_places(request, pk: int, booking_pk: int):
    booking = get_object_or_404(Booking, pk=booking_pk, session_id=pk)
    try:
        services.offer_manually(booking, by=request.user)
    except services.BookingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Places offered to booking {booking.reference}.")
    return redirect("courses_session_people", pk=pk)


@permission_required("courses.view_attendee", raise_exception=True)
def attendee_export(request, pk: int):
    session = _session(pk)
    attendees = (
        Attendee.objects.filter(
            session=session,
            status=Attendee.Status.ACTIVE,
            booking__status=HoldingStatus.CONFIRMED,
        )
        .select_related("booking__organisation")
        .order_by("name")
    )
    audit.record(request.user, audit.Action.EXPORT, session, rows=len(attendees))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    day = timezone.localtime(session.starts_at).date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="attendees-{session.pk}-{day}.csv"'
    writer = csv.writer(response)
    writer.writerow(["Name", "Email", "Organisation", "Booking", "Access or dietary needs"])
    for a in attendees:
        organisation = a.booking.organisation.name if a.booking.organisation else ""
        writer.writerow(
            [_safe(a.name), a.email, _safe(organisation), a.booking.reference, _safe(a.needs)]
        )
    return response


def _safe(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: neutralise them."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
