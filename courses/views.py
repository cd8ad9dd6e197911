"""HTTP only: forms in, services called, pages out."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from courses import payments as course_payments
from courses import selectors, services
from courses.forms import (
    AttendeeFormSet,
    BookingForm,
    CatalogueFilterForm,
    PlacesCountForm,
    SelfAttendeeForm,
    TransferForm,
)
from courses.models import (
    Attendee,
    Audience,
    Booking,
    CancellationPolicy,
    CourseAudience,
    Session,
)
from portal import calendars
from portal.payments import stripe_api
from portal.payments.services import PaymentError
from portal.places import HoldingStatus

SESSIONS_PER_PAGE = 20


def catalogue(request, index_page):
    form = CatalogueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    sessions = selectors.catalogue(filters)
    page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "courses/catalogue.html",
        {"page": index_page, "form": form, "sessions": page, "query": query.urlencode()},
    )


def course_detail(request, course_page):
    sessions = selectors.upcoming_sessions().filter(course=course_page)
    prices = [row for row in course_page.audiences.all() if row.may_book]
    return render(
        request,
        "courses/course_page.html",
        {"page": course_page, "sessions": sessions, "prices": prices},
    )


def _session_for_booking(pk: int) -> Session:
    session = (
        selectors.with_places(Session.objects.select_related("course").filter(pk=pk))
        .filter(course__live=True)
        .first()
    )
    if session is None:
        raise Http404("No such session.")
    return session


def _price_label(pence: int) -> str:
    return "Free" if pence == 0 else f"£{pence / 100:,.2f} a place"


@never_cache
@login_required
def book(request, pk: int):
    session = _session_for_booking(pk)
    if not request.user.get_full_name():
        # A place is in a person's name (register, invite, certificate), never an address.
        messages.info(request, "Add your name before you book: your place will be in it.")
        return redirect(f"{reverse('account_name')}?{urlencode({'next': request.get_full_path()})}")
    organisations = list(request.user.organisations.all())
    organisation = None
    organisation_error = None
    places = 1
    if organisations:
        try:
            organisation = services.organisation_for(
                request.user, request.GET.get("for") or request.POST.get("organisation")
            )
        except services.BookingError as exc:
            # Shown, with the form for booking just for themselves: never a guess.
            organisation_error = str(exc)
        count = PlacesCountForm(
            {"places": request.GET.get("places") or request.POST.get("form-TOTAL_FORMS") or 1}
        )
        places = count.cleaned_data["places"] if count.is_valid() else 1
    prices = {
        row.audience: row.price_pence for row in session.course.audiences.all() if row.may_book
    }
    eligible = [a for a in services.eligible_audiences(request.user, organisation) if a in prices]
    invoice_allowed = organisation is not None and organisation.invoiced
    card_allowed = stripe_api.configured()
    # Without card payments only free places, or places invoiced to an organisation, are
    # offered: a paid place that could not be paid for is never offered.
    payable = [a for a in eligible if prices[a] == 0 or card_allowed or invoice_allowed]
    audience_choices = [(a, f"{Audience(a).label}: {_price_label(prices[a])}") for a in payable]
    booking_for_others = organisation is not None
    data = request.POST if request.method == "POST" else None
    form = BookingForm(
        data,
        audience_choices=audience_choices,
        organisations=organisations,
        invoice_allowed=invoice_allowed,
        card_allowed=card_allowed,
        initial={
            "organisation": str(organisation.pk) if organisation else "",
            "payment": "card" if card_allowed else "invoice",
        },
    )
    if booking_for_others:
        attendee_forms = AttendeeFormSet(data, initial=[{}] * places if data is None else None)
    else:
        attendee_forms = SelfAttendeeForm(data, prefix="self")
    error = None
    if not session.is_open_for_booking or session.starts_at <= timezone.now():
        error = _closed_reason(session)
    elif not audience_choices and eligible:
        error = services.CARD_UNAVAILABLE
    elif not audience_choices:
        error = "This course is not open to bookings from people in your situation."
    valid = request.method == "POST" and form.is_valid() and attendee_forms.is_valid()
    if valid and error is None and organisation_error is None:
        try:
            booking = services.book(
                session=session,
                user=request.user,
                audience=form.cleaned_data["audience"],
                attendees=_attendees(request.user, attendee_forms, booking_for_others),
                organisation=services.organisation_for(
                    request.user, form.cleaned_data.get("organisation")
                ),
                pay_by=form.cleaned_data["payment"],
                purchase_order=form.cleaned_data.get("purchase_order", ""),
            )
        except services.BookingError as exc:
            if exc.field in ("audience", "purchase_order"):
                form.add_error(exc.field, str(exc))
            elif exc.field == "payment":
                form.add_error(None, str(exc))
            else:
                error = str(exc)
        else:
            if booking.status == HoldingStatus.HELD:
                return _checkout(request, booking)
            return redirect("courses:booking", reference=booking.reference)
    return render(
        request,
        "courses/book.html",
        {
            "session": session,
            "course": session.course,
            "form": form,
            "attendee_forms": attendee_forms,
            "booking_for_others": booking_for_others,
            "organisations": organisations,
            "organisation": organisation,
            "invoice_allowed": invoice_allowed,
            "places": places,
            "error": error,
            "organisation_error": organisation_error,
            "places_left": max(session.capacity - session.taken, 0),
        },
        status=400 if request.method == "POST" or organisation_error else 200,
    )


def _attendees(user, attendee_forms, booking_for_others: bool) -> list:
    if booking_for_others:
        return [
            services.AttendeeDetails(**f.cleaned_data) for f in attendee_forms if f.cleaned_data
        ]
    return [
        services.AttendeeDetails(
            name=user.get_full_name(),
            email=user.email,
            needs=attendee_forms.cleaned_data["needs"],
        )
    ]


def _checkout(request, booking: Booking):
    try:
        payment = course_payments.start_checkout(booking)
    except PaymentError as exc:
        held_until = timezone.localtime(booking.expires_at)
        messages.error(
            request,
            f"Booking {booking.reference} is made and its places are held for you until "
            f"{held_until:%H:%M}, but the card payment page could not be opened: {exc} "
            "Until then you can pay from this page.",
        )
        return redirect("courses:booking", reference=booking.reference)
    return redirect(payment.checkout_url)


@require_POST
@login_required
def pay(request, reference: str):
    booking = _own_booking(request, reference)
    if booking.status != HoldingStatus.HELD or booking.expires_at <= timezone.now():
        messages.error(request, "This booking is no longer waiting for payment.")
        return redirect("courses:booking", reference=booking.reference)
    return _checkout(request, booking)


def _closed_reason(session: Session) -> str:
    if session.status == Session.Status.CANCELLED:
        return "This session has been cancelled."
    if session.starts_at <= timezone.now():
        return "This session has already started."
    return "Booking for this session has closed."


def _own_booking(request, reference: str) -> Booking:
    booking = get_object_or_404(
        Booking.objects.select_related("session__course", "organisation"), reference=reference
    )
    if booking.booked_by_id != request.user.pk:
        raise Http404("No such booking.")
    return booking


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
        },
    )


def _policy_for(booking: Booking) -> CancellationPolicy | None:
    """The cancellation policy, for places that were paid for (or invoiced)."""
    if not booking.unit_price_pence:
        return None
    return CancellationPolicy.current()


def _cancel_page(request, booking: Booking, attendee: Attendee | None):
    policy = _policy_for(booking)
    paid = booking.status == HoldingStatus.CONFIRMED and policy is not None
    amount = booking.unit_price_pence if attendee else booking.total_pence
    full_refund_until = policy.full_refund_until(booking.session.starts_at) if policy else None
    return render(
        request,
        "courses/cancel.html",
        {
            "booking": booking,
            "attendee": attendee,
            "policy": policy,
            "full_refund_until": full_refund_until,
            # The policy refunds in full up to and including that moment.
            "full_refund_passed": full_refund_until is not None
            and timezone.now() > full_refund_until,
            "refund_now": services.refund_due(booking, amount) / 100 if paid else None,
        },
    )


@never_cache
@login_required
def cancel_booking(request, reference: str):
    booking = _own_booking(request, reference)
    if request.method == "POST":
        try:
            services.cancel_booking(booking, by=request.user)
        except services.BookingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Booking {booking.reference} is cancelled.")
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
            messages.error(request, str(exc))
        else:
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
        {"booking": attendee.booking, "attendee": attendee, "form": form},
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
        try:
            booking = services.accept_offer(token, request.user)
        except services.BookingError as exc:
            return render(request, "courses/offer.html", {"error": str(exc)}, status=410)
        return redirect("courses:booking", reference=booking.reference)
    return render(
        request,
        "courses/offer.html",
        {"booking": booking, "session": booking.session, "course": booking.session.course},
    )


@require_POST
@login_required
def renew_feed(request):
    services.feed_token(request.user, renew=True)
    messages.success(request, "Your calendar address has changed. The old one no longer works.")
    return redirect("my_account")


def personal_feed(request, token: str):
    from courses.models import CalendarFeedToken

    feed_token = get_object_or_404(CalendarFeedToken.objects.select_related("user"), token=token)
    return _ics(calendars.personal_feed(feed_token.user), private=True)


def public_feed(request):
    public = CourseAudience.objects.filter(audience=Audience.PUBLIC, may_book=True).values("course")
    sessions = selectors.upcoming_sessions().filter(course__in=public)
    events = [
        calendars.CalendarEvent(
            uid=f"session-{s.pk}@courses.portal",
            sequence=0,
            start=s.starts_at,
            end=s.ends_at,
            title=s.course.title,
            description=s.course.summary,
            location="Online" if s.online else s.venue,
            url=settings.SITE_URL + s.course.url,
        )
        for s in sessions
    ]
    return _ics(calendars.feed(events, name=f"{settings.SERVICE_NAME} training"), private=False)


def _ics(body: bytes, *, private: bool) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store" if private else "public, max-age=900"
    if private:
        response["X-Robots-Tag"] = "noindex"
    return response
