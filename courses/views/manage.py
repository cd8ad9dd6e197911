"""A booking once made: its page, calendar files, cancelling, transferring and offers."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import dateformat, timezone
from django.views.decorators.cache import never_cache

from courses import services
from courses.forms import (
    TransferForm,
)
from courses.models import (
    Attendee,
    Booking,
    CancellationPolicy,
    Session,
)
from courses.views.common import _own_booking, error_summary
from portal.accounts.selectors import verified_emails
from portal.calendars.views import ics_response
from portal.money import pounds
from portal.places import HoldingStatus, waiting_position


@never_cache
@login_required
def booking_detail(request, reference: str):
    booking = _own_booking(request, reference)
    return render(
        request,
        "courses/booking.html",
        {
            "booking": booking,
            "session": booking.session,
            "course": booking.session.course,
            "attendees": booking.attendees.all(),
            "can_change": booking.is_active and booking.session.closes_at > timezone.now(),
            "show_joining_link": booking.status == HoldingStatus.CONFIRMED,
            "policy": _policy_for(booking),
            "offer_hours": settings.PLACES_OFFER_HOURS,
            "position": waiting_position(booking),
            "calendar_links": booking.status == HoldingStatus.CONFIRMED
            and booking.session.status == Session.Status.SCHEDULED,
        },
    )


@login_required
def attendee_calendar(request, reference: str, pk: int):
    """One confirmed place as an .ics file, for the booker or the attendee only."""
    attendee = (
        Attendee.objects.select_related("booking__session__course", "user")
        .filter(
            booking__reference=reference,
            pk=pk,
            status=Attendee.Status.ACTIVE,
            booking__status=HoldingStatus.CONFIRMED,
            session__status=Session.Status.SCHEDULED,
        )
        .first()
    )
    if attendee is None or not (
        attendee.booking.booked_by_id == request.user.pk
        or attendee.email in verified_emails(request.user)
    ):
        raise Http404("No such place.")
    response = ics_response(services.calendar_file(attendee), private=True)
    # A neutral file name: it may be saved where others see it.
    response["Content-Disposition"] = 'attachment; filename="appointment.ics"'
    return response


def _policy_for(booking: Booking) -> CancellationPolicy | None:
    """The cancellation policy, for places that were paid for (or invoiced)."""
    if not booking.unit_price_pence:
        return None
    return CancellationPolicy.current()


def _refund_statement(booking: Booking, attendee: Attendee | None) -> str:
    """What cancelling now gives back, in words: the amount, or why there is none."""
    if booking.status == HoldingStatus.WAITING:
        return "Nothing has been paid for a place on the waiting list, so there is no refund."
    if not booking.unit_price_pence:
        return "The places are free, so there is nothing to refund."
    if booking.status != HoldingStatus.CONFIRMED:
        return "Nothing has been paid yet, so there is no refund: the payment will not be taken."
    amount = booking.unit_price_pence if attendee else booking.total_pence
    back = services.refund_due(booking, amount)
    policy = CancellationPolicy.current()
    until = timezone.localtime(policy.full_refund_until(booking.session.starts_at))
    deadline = dateformat.format(until, r"g:i a \o\n j F Y")
    if back == amount:
        why = f"you can cancel for a full refund until {deadline}"
    else:
        later = f"refunded {policy.late_refund_percent}%" if back else "not refunded"
        why = (
            f"the time to cancel for a full refund ended at {deadline}, and later "
            f"cancellations are {later}"
        )
    if back == 0:
        return f"No refund: {why}."
    if booking.is_invoiced and booking.invoice_paid_at:
        return f"Your organisation will be owed a credit of {pounds(back)}: {why}."
    if booking.is_invoiced:
        return f"{pounds(back)} will be taken off your organisation's invoice: {why}."
    return f"You will be refunded {pounds(back)} of the {pounds(amount)} paid: {why}."


def _cancel_page(request, booking: Booking, attendee: Attendee | None, error: str = ""):
    return render(
        request,
        "courses/cancel.html",
        {
            "booking": booking,
            "attendee": attendee,
            "policy": _policy_for(booking),
            "refund": _refund_statement(booking, attendee),
            "errors": [("", error)] if error else [],
        },
        status=400 if error else 200,
    )


@never_cache
@login_required
def cancel_booking(request, reference: str):
    booking = _own_booking(request, reference)
    if request.method == "POST":
        waiting = booking.status == HoldingStatus.WAITING
        try:
            if waiting:
                services.leave_waiting_list(booking, by=request.user)
            else:
                services.cancel_booking(booking, by=request.user)
        except services.BookingError as exc:
            return _cancel_page(request, booking, None, str(exc))
        messages.success(
            request,
            "You have left the waiting list."
            if waiting
            else f"Booking {booking.reference} is cancelled.",
        )
        return redirect("courses:booking", reference=booking.reference)
    return _cancel_page(request, booking, None)


def _own_attendee(request, reference: str, pk: int) -> Attendee:
    booking = _own_booking(request, reference)
    return get_object_or_404(booking.attendees.select_related("booking__session__course"), pk=pk)


@never_cache
@login_required
def cancel_attendee(request, reference: str, pk: int):
    attendee = _own_attendee(request, reference, pk)
    if request.method == "POST":
        try:
            services.cancel_attendee(attendee, by=request.user)
        except services.BookingError as exc:
            return _cancel_page(request, attendee.booking, attendee, str(exc))
        messages.success(request, f"{attendee.name}'s place is cancelled.")
        return redirect("courses:booking", reference=reference)
    return _cancel_page(request, attendee.booking, attendee)


@never_cache
@login_required
def transfer(request, reference: str, pk: int):
    attendee = _own_attendee(request, reference, pk)
    form = TransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.transfer(
                attendee, to=services.AttendeeDetails(**form.cleaned_data), by=request.user
            )
        except services.BookingError as exc:
            form.add_error("email" if exc.field == "email" else None, str(exc))
        else:
            invited = new.booking.status == HoldingStatus.CONFIRMED
            messages.success(
                request,
                f"The place is now {new.name}'s."
                + (" We have sent them an invite." if invited else ""),
            )
            return redirect("courses:booking", reference=reference)
    return render(
        request,
        "courses/transfer.html",
        {
            "booking": attendee.booking,
            "attendee": attendee,
            "form": form,
            "errors": error_summary(form) if form.is_bound else [],
        },
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
def offer(request, token: str):
    try:
        booking = services.booking_for_offer(token, request.user)
    except services.BookingError as exc:
        return render(request, "courses/offer.html", {"error": str(exc)}, status=410)
    if request.method == "POST":
        declined = request.POST.get("decision") == "decline"
        try:
            if declined:
                booking = services.decline_offer(token, request.user)
            else:
                booking = services.accept_offer(token, request.user)
        except services.BookingError as exc:
            return render(request, "courses/offer.html", {"error": str(exc)}, status=410)
        if declined:
            messages.success(
                request, "You have turned the places down. They are offered to the next person."
            )
        return redirect("courses:booking", reference=booking.reference)
    return render(
        request,
        "courses/offer.html",
        {"booking": booking, "session": booking.session, "course": booking.session.course},
    )
