"""Staff views for bookings taken by phone: book places for a caller on a session, find any
booking by its reference, and cancel or transfer its places. Coordinators only (those who
may change bookings), within their scope (`selectors.sessions_visible_to`); every write goes
through `courses.services`, which audits it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from courses import selectors, services
from courses.admin_views import _session, people_of
from courses.forms import AttendeeForm, FindBookingForm
from courses.models import Attendee, Audience, Booking, PaymentMethod
from portal import audit
from portal.accounts.models import Organisation, User
from portal.contact.selectors import plans_for_staff
from portal.money import pounds
from portal.places import HoldingStatus

CHANGE_BOOKING = "courses.change_booking"
OTHER_ATTENDEES = 3
FREE = "free"


class CallerBookingForm(forms.Form):
    """A booking taken by phone: who called, who attends, at which price, how it is paid."""

    name = forms.CharField(label="Caller's full name", max_length=150)
    email = forms.EmailField(label="Caller's email address")
    phone = forms.CharField(label="Caller's phone number (optional)", max_length=30, required=False)
    discreet = forms.BooleanField(
        label="Send discreet messages (a neutral sender, subject and calendar title)",
        required=False,
    )
    caller_attends = forms.BooleanField(
        label="The caller takes a place", required=False, initial=True
    )
    needs = AttendeeForm.base_fields["needs"]
    audience = forms.ChoiceField(label="Price (who the places are for)", widget=forms.RadioSelect)
    organisation = forms.ModelChoiceField(
        label="Organisation (optional; needed for more than one place, or an invoice)",
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label="None: booking for themselves",
    )
    payment = forms.ChoiceField(
        label="Payment",
        widget=forms.RadioSelect,
        choices=[
            (FREE, "None: the price is free"),
            (PaymentMethod.INVOICE, "Invoice the organisation (purchase-order number needed)"),
            (PaymentMethod.CARD, "Email the caller a link to pay by card"),
        ],
    )
    purchase_order = forms.CharField(
        label="Purchase-order number (for an invoice)", max_length=50, required=False
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.prices = {
            row.audience: row.price_pence for row in session.course.audiences.all() if row.may_book
        }
        self.fields["audience"].choices = [
            (audience, f"{label}: {pounds(self.prices[audience], zero='Free')}")
            for audience, label in Audience.choices
            if audience in self.prices
        ]
        for n in range(1, OTHER_ATTENDEES + 1):
            self.fields[f"attendee_name_{n}"] = forms.CharField(
                label=f"Other attendee {n}: full name", max_length=150, required=False
            )
            self.fields[f"attendee_email_{n}"] = forms.EmailField(
                label=f"Other attendee {n}: email address", required=False
            )

    def clean(self):
        data = super().clean()
        for n in range(1, OTHER_ATTENDEES + 1):
            name, email = data.get(f"attendee_name_{n}"), data.get(f"attendee_email_{n}")
            if name and not email and f"attendee_email_{n}" not in self.errors:
                self.add_error(f"attendee_email_{n}", f"Enter the email address of {name}.")
            elif email and not name:
                self.add_error(f"attendee_name_{n}", f"Enter the full name of {email}.")
        if not self.attendees() and not self.errors:
            self.add_error("caller_attends", "Name at least one attendee: the caller, or others.")
        price = self.prices.get(data.get("audience"))
        payment = data.get("payment")
        if price is not None and payment:
            if payment == FREE and price:
                self.add_error(
                    "payment",
                    f"This price is {pounds(price)} a place: invoice the organisation or email "
                    "a card-payment link.",
                )
            elif payment != FREE and not price:
                self.add_error("payment", "This price is free: choose no payment.")
        return data

    def caller(self) -> services.CallerDetails:
        data = self.cleaned_data
        return services.CallerDetails(
            name=data["name"], email=data["email"], phone=data["phone"], discreet=data["discreet"]
        )

    def attendees(self) -> list[services.AttendeeDetails]:
        data = self.cleaned_data
        people = []
        if data.get("caller_attends") and data.get("name") and data.get("email"):
            people.append(
                services.AttendeeDetails(
                    name=data["name"], email=data["email"], needs=data.get("needs", "")
                )
            )
        for n in range(1, OTHER_ATTENDEES + 1):
            name, email = data.get(f"attendee_name_{n}"), data.get(f"attendee_email_{n}")
            if name and email:
                people.append(services.AttendeeDetails(name=name, email=email))
        return people

    def people(self) -> list[tuple[str, object, str]]:
        """Whom the booking will tell, for `plans_for_staff`: the caller (in the account
        `services.caller_account` will use, if there is one) and the other attendees."""
        email = self.cleaned_data["email"].strip().lower()
        account = User.objects.filter(email__iexact=email).first()
        people = [(f"{self.cleaned_data['name']} (the caller)", account, email)]
        for attendee in self.attendees():
            if attendee.email.strip().lower() != email:
                people.append((attendee.name, None, attendee.email.strip().lower()))
        return people

    def other_attendee_fields(self):
        return [
            (self[f"attendee_name_{n}"], self[f"attendee_email_{n}"])
            for n in range(1, OTHER_ATTENDEES + 1)
        ]


def _booking(request, reference: str) -> Booking:
    """The booking, if its session is in this member of staff's scope; else 404."""
    booking = selectors.booking_visible_to(request.user, reference)
    if booking is None:
        raise Http404("No such booking.")
    return booking


@permission_required(CHANGE_BOOKING, raise_exception=True)
def book_for_caller(request, pk: int):
    session = _session(request, pk)
    form = CallerBookingForm(request.POST or None, session=session)
    plans, plans_read = None, ""
    if request.method == "POST" and form.is_valid():
        people = form.people()
        plans_read = "|".join(sorted(email for _, _, email in people))
        plans = plans_for_staff(request, people)
        if plans and request.POST.get("plans_read_for") != plans_read:
            # Booking tells them at once: first the plans of those it tells, then book.
            messages.warning(request, "Read the safe-contact plans below, then book again.")
        else:
            booking = _book(request, session, form)
            if booking is not None:
                _tell_staff(request, booking)
                return redirect("courses_staff_booking", reference=booking.reference)
    return TemplateResponse(
        request,
        "courses/admin/book_for_caller.html",
        {
            "page_title": "Book for a caller",
            "session": session,
            "form": form,
            "plans": plans,
            "plans_read_for": plans_read,
        },
        status=400 if form.errors else 200,
    )


def _book(request, session, form: CallerBookingForm) -> Booking | None:
    data = form.cleaned_data
    try:
        return services.book_for_caller(
            caller=form.caller(),
            by=request.user,
            session=session,
            audience=data["audience"],
            attendees=form.attendees(),
            organisation=data["organisation"],
            pay_by=PaymentMethod.CARD if data["payment"] == FREE else data["payment"],
            purchase_order=data["purchase_order"],
        )
    except services.BookingError as exc:
        form.add_error(_field_for(exc.field, form), str(exc))
        return None


def _field_for(field: str | None, form: CallerBookingForm) -> str | None:
    if field == "attendees":
        return "email" if form.cleaned_data.get("caller_attends") else None
    return field if field in form.fields else None


def _tell_staff(request, booking: Booking) -> None:
    done = f"Booking {booking.reference} made for {booking.booked_by}"
    if booking.status == HoldingStatus.CONFIRMED:
        messages.success(request, f"{done}: confirmed. The caller has been emailed.")
    elif booking.status == HoldingStatus.WAITING:
        messages.warning(request, f"{done}: the session is full, so it is on the waiting list.")
    else:
        try:
            services.send_payment_link(booking, by=request.user)
        except services.BookingError as exc:
            messages.error(
                request, f"{done}, held until {_time(booking.expires_at)}, but {exc} Send it again."
            )
        else:
            messages.success(
                request,
                f"{done}. The caller has been emailed a link to pay by card, by "
                f"{_time(booking.expires_at)}.",
            )


def _time(moment) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


@permission_required(CHANGE_BOOKING, raise_exception=True)
def find_booking(request):
    form = FindBookingForm(request.GET or None)
    status = 200
    if form.is_bound:
        if form.is_valid():
            reference = form.cleaned_data["reference"]
            if selectors.booking_visible_to(request.user, reference) is not None:
                return redirect("courses_staff_booking", reference=reference)
            form.add_error("reference", f"No booking has the reference {reference}.")
            status = 404
        else:
            status = 400
    return TemplateResponse(
        request,
        "courses/admin/find_booking.html",
        {"page_title": "Find a booking", "form": form},
        status=status,
    )


@permission_required(CHANGE_BOOKING, raise_exception=True)
def booking_detail(request, reference: str):
    booking = _booking(request, reference)
    audit.record_view(request, booking)
    return TemplateResponse(
        request,
        "courses/admin/booking.html",
        {
            "page_title": f"Booking {booking.reference}",
            "booking": booking,
            "plans": plans_for_staff(request, people_of([booking])),
            "session": booking.session,
            "attendees": booking.attendees.order_by("pk"),
            "can_change": booking.is_active and booking.session.closes_at > timezone.now(),
            "find_form": FindBookingForm(),
        },
    )


@permission_required(CHANGE_BOOKING, raise_exception=True)
def cancel_booking(request, reference: str):
    booking = _booking(request, reference)
    if request.method == "POST":
        try:
            services.cancel_booking(booking, by=request.user)
        except services.BookingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Booking {booking.reference} is cancelled.")
        return redirect("courses_staff_booking", reference=reference)
    return _confirm_cancel(request, booking, None)


@permission_required(CHANGE_BOOKING, raise_exception=True)
def cancel_attendee(request, reference: str, attendee_pk: int):
    booking = _booking(request, reference)
    attendee = get_object_or_404(booking.attendees, pk=attendee_pk)
    if request.method == "POST":
        try:
            services.cancel_attendee(attendee, by=request.user)
        except services.BookingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{attendee.name}'s place is cancelled.")
        return redirect("courses_staff_booking", reference=reference)
    return _confirm_cancel(request, booking, attendee)


def _confirm_cancel(request, booking: Booking, attendee: Attendee | None):
    amount = booking.unit_price_pence if attendee else booking.total_pence
    paid = booking.status == HoldingStatus.CONFIRMED and amount > 0
    return TemplateResponse(
        request,
        "courses/admin/cancel.html",
        {
            "page_title": "Cancel a place" if attendee else "Cancel a booking",
            "booking": booking,
            "plans": plans_for_staff(request, people_of([booking])),
            "attendee": attendee,
            "refund_pence": services.refund_due(booking, amount) if paid else None,
        },
    )


@permission_required(CHANGE_BOOKING, raise_exception=True)
def transfer(request, reference: str, attendee_pk: int):
    booking = _booking(request, reference)
    attendee = get_object_or_404(booking.attendees, pk=attendee_pk)
    form = AttendeeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.transfer(
                attendee, to=services.AttendeeDetails(**form.cleaned_data), by=request.user
            )
        except services.BookingError as exc:
            form.add_error("email" if exc.field == "email" else None, str(exc))
        else:
            messages.success(request, f"{attendee.name}'s place is now {new.name}'s.")
            return redirect("courses_staff_booking", reference=reference)
    return TemplateResponse(
        request,
        "courses/admin/transfer.html",
        {
            "page_title": "Transfer a place",
            "booking": booking,
            "attendee": attendee,
            "form": form,
            "plans": plans_for_staff(request, people_of([booking])),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@permission_required(CHANGE_BOOKING, raise_exception=True)
def resend_payment_link(request, reference: str):
    booking = _booking(request, reference)
    try:
        services.send_payment_link(booking, by=request.user)
    except services.BookingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"The payment link was emailed to {booking.booked_by}.")
    return redirect("courses_staff_booking", reference=reference)
