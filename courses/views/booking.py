"""Booking places, and paying for them by card."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
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
    SelfAttendeeForm,
)
from courses.models import (
    Audience,
    Booking,
    Session,
)
from courses.views.common import _own_booking, error_summary
from portal import places
from portal.money import pounds
from portal.payments import stripe_api
from portal.payments.services import PaymentError
from portal.places import HoldingStatus


def _session_for_booking(pk: int) -> Session:
    session = (
        places.with_places_taken(Session.objects.select_related("course").filter(pk=pk))
        .filter(course__live=True)
        .first()
    )
    if session is None:
        raise Http404("No such session.")
    return session


def _price_label(pence: int) -> str:
    return "Free" if pence == 0 else f"{pounds(pence)} a place"


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
