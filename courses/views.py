"""HTTP only: forms in, services called, pages out."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import BaseFormSet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from courses import payments as course_payments
from courses import selectors, services
from courses.forms import (
    MAX_PLACES_PER_BOOKING,
    AttendeeFormSet,
    BookingForForm,
    BookingForm,
    CatalogueFilterForm,
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
from portal.accounts.selectors import verified_emails
from portal.payments import stripe_api
from portal.payments.services import PaymentError
from portal.places import HoldingStatus, waiting_position

SESSIONS_PER_PAGE = 20


def catalogue(request, index_page):
    form = CatalogueFilterForm(request.GET or None)
    filters = {}
    if form.is_bound:
        # A filter in error is left out (and said so next to it); the others still apply.
        form.is_valid()
        filters = form.cleaned_data
    sessions = selectors.catalogue(filters)
    page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "courses/catalogue.html",
        {
            "page": index_page,
            "form": form,
            "errors": error_summary(form) if form.is_bound else [],
            "sessions": page,
            "query": query.urlencode(),
            "booked": selectors.sessions_with_a_place_of(request.user),
        },
    )


def course_detail(request, course_page):
    sessions = selectors.upcoming_sessions().filter(course=course_page)
    prices = [row for row in course_page.audiences.all() if row.may_book]
    return render(
        request,
        "courses/course_page.html",
        {
            "page": course_page,
            "sessions": sessions,
            "prices": prices,
            "booked": selectors.sessions_with_a_place_of(request.user),
        },
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


def error_summary(*forms, unlinked=(), first=()) -> list[tuple[str, str]]:
    """(link, message) for the GOV.UK error summary: every error of the forms (and formsets),
    each linked to its field ("" when there is no field to go to, or it is not shown)."""
    items = list(first)
    for form in forms:
        if form is None:
            continue
        if isinstance(form, BaseFormSet):
            items += [("", str(e)) for e in form.non_form_errors()]
            for number, row in enumerate(form.forms, start=1):
                items += [
                    (link, f"Attendee {number}: {message}") for link, message in error_summary(row)
                ]
            continue
        items += [("", str(e)) for e in form.non_field_errors()]
        for field in form:
            link = "" if field.name in unlinked else f"#{field.auto_id}"
            items += [(link, str(e)) for e in field.errors]
    return items


def _organisation_problem(organisation, prices: dict, card_allowed: bool) -> str | None:
    """Why places cannot be booked for this organisation, if they cannot."""
    audience = services.organisation_audience(organisation)
    label = Audience(audience).label.lower()
    if audience not in prices:
        return (
            f"Places booked for {organisation.name} are at the price for {label}, and this "
            f"course is not open to {label} bookings. To book just for yourself, choose "
            "“Just me”."
        )
    if prices[audience] and not card_allowed and not organisation.invoiced:
        return services.CARD_UNAVAILABLE
    return None


@never_cache
@login_required
def book(request, pk: int):
    """Booking in one form. A member of an organisation first says who the places are for
    and how many (a GET form); the next page names each attendee, with one submit."""
    session = _session_for_booking(pk)
    if not request.user.get_full_name():
        # A place is in a person's name (register, invite, certificate), never an address.
        messages.info(request, "Add your name before you book: your place will be in it.")
        return redirect(f"{reverse('account_name')}?{urlencode({'next': request.get_full_path()})}")
    user = request.user
    organisations = list(user.organisations.all())
    prices = {
        row.audience: row.price_pence for row in session.course.audiences.all() if row.may_book
    }
    card_allowed = stripe_api.configured()
    own_place = selectors.place_on(session, user)
    context = {
        "session": session,
        "course": session.course,
        "own_place": own_place,
        "places_left": max(session.capacity - session.taken, 0),
        "closed": _closed_reason(session)
        if not session.is_open_for_booking or session.starts_at <= timezone.now()
        else None,
    }
    posted = request.method == "POST"
    organisation, places = None, 1
    if organisations:
        if posted:
            who = {"for": request.POST.get("organisation", ""), "places": 1}
            who["places"] = request.POST.get("form-TOTAL_FORMS", 1) if who["for"] else 1
        elif "change" in request.GET:  # back from the next step: what they chose, unchecked
            who = None
        elif {"for", "places"} & set(request.GET):
            who = request.GET.copy()
            who.setdefault("places", "1")
        else:
            who = None
        initial = {"for": request.GET.get("for", ""), "places": request.GET.get("places", 1)}
        choice = BookingForForm(who, organisations=organisations, initial=initial)
        if choice.is_bound and choice.is_valid() and choice.organisation is not None:
            problem = _organisation_problem(choice.organisation, prices, card_allowed)
            if problem:
                choice.add_error("for", problem)
        if not choice.is_bound or not choice.is_valid():
            return render(
                request,
                "courses/book.html",
                {
                    **context,
                    "step": "who",
                    "choice": choice,
                    "errors": error_summary(choice),
                    "places": 1,
                },
                status=400 if choice.is_bound else 200,
            )
        organisation, places = choice.organisation, choice.cleaned_data["places"]
    invoice_allowed = organisation is not None and organisation.invoiced
    data = request.POST if posted else None
    if organisation is not None:
        audience = services.organisation_audience(organisation)
        audience_choices = None
        attendee_forms = AttendeeFormSet(data, initial=[{}] * places if data is None else None)
        if posted:
            places = min(attendee_forms.total_form_count(), MAX_PLACES_PER_BOOKING)
    else:
        audience = None
        eligible = [a for a in services.eligible_audiences(user) if a in prices]
        # Without card payments only free places are offered to someone booking for
        # themself: a paid place that could not be paid for is never offered.
        payable = [a for a in eligible if prices[a] == 0 or card_allowed]
        audience_choices = [(a, f"{Audience(a).label}: {_price_label(prices[a])}") for a in payable]
        attendee_forms = SelfAttendeeForm(data, prefix="self")
        if not context["closed"] and not audience_choices:
            context["closed"] = (
                services.CARD_UNAVAILABLE
                if eligible
                else "This course is not open to bookings from people in your situation."
            )
    form = BookingForm(
        data,
        audience_choices=audience_choices,
        invoice_allowed=invoice_allowed,
        card_allowed=card_allowed,
        initial={"payment": "card" if card_allowed else "invoice"},
    )
    error = context["closed"]
    # Told before they submit, and never offered the waiting list for a session they are on.
    already_booked = organisation is None and own_place is not None
    valid = posted and form.is_valid() and attendee_forms.is_valid()
    if valid and error is None and not already_booked:
        try:
            booking = services.book(
                session=session,
                user=user,
                audience=audience or form.cleaned_data["audience"],
                attendees=_attendees(user, attendee_forms, organisation is not None),
                organisation=organisation,
                pay_by=form.cleaned_data["payment"],
                purchase_order=form.cleaned_data.get("purchase_order", ""),
            )
        except services.BookingError as exc:
            if exc.field in ("audience", "purchase_order") and exc.field in form.fields:
                form.add_error(exc.field, str(exc))
            else:
                form.add_error(None, str(exc))
        else:
            if booking.status == HoldingStatus.HELD:
                return _checkout(request, booking)
            return redirect("courses:booking", reference=booking.reference)
    first = [("", error)] if error else []
    return render(
        request,
        "courses/book.html",
        {
            **context,
            "step": "details",
            "form": form,
            "attendee_forms": attendee_forms,
            "organisation": organisation,
            "organisations": organisations,
            "price": prices.get(audience) if audience else None,
            "audience_label": Audience(audience).label if audience else "",
            "invoice_allowed": invoice_allowed,
            "places": places,
            "error": error,
            "already_booked": already_booked,
            "errors": error_summary(
                form,
                attendee_forms if posted else None,
                unlinked=() if invoice_allowed else ("payment", "purchase_order"),
                first=first,
            )
            if posted or first
            else [],
        },
        status=400 if posted else 200,
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
    # The booker, or an admin of the organisation it is for; anyone else: as for no booking.
    if not selectors.may_manage_booking(request.user, booking):
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
    response = _ics(services.calendar_file(attendee), private=True)
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
        return f"Your organisation will be owed a credit of {_pounds(back)}: {why}."
    if booking.is_invoiced:
        return f"{_pounds(back)} will be taken off your organisation's invoice: {why}."
    return f"You will be refunded {_pounds(back)} of the {_pounds(amount)} paid: {why}."


def _pounds(pence: int) -> str:
    return f"£{pence / 100:,.2f}"


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
