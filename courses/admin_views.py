"""Staff views for one session: its bookings and waiting list (with a manual offer), and the
attendee list as a spreadsheet (CSV); and what invoiced organisations owe."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from wagtail.admin.views.reports import ReportView

from courses import selectors, services
from courses.forms import FindBookingForm
from courses.models import Attendee, Booking, Session
from portal import audit, exports, places
from portal.contact.selectors import plans_for_staff
from portal.money import pounds_number
from portal.places import HoldingStatus


def _session(request, pk: int) -> Session:
    """The session, if this member of staff may see its people; else 404, as for no session."""
    visible = selectors.sessions_visible_to(request.user).select_related("course")
    return get_object_or_404(places.with_places_taken(visible), pk=pk)


def people_of(bookings) -> list[tuple[str, object, str]]:
    """Who staff may contact about these bookings, for `plans_for_staff`: each booker and
    each attendee (once, when the booker attends)."""
    people = []
    for booking in bookings:
        booker = f"{booking.booked_by} (booked {booking.reference})"
        people.append((booker, booking.booked_by, booking.booked_by.email))
        for attendee in booking.attendees.all():
            if attendee.user_id is None or attendee.user_id != booking.booked_by_id:
                label = f"{attendee.name} (attending, {booking.reference})"
                people.append((label, attendee.user, attendee.email))
    return people


@permission_required("courses.view_booking", raise_exception=True)
def session_people(request, pk: int):
    session = _session(request, pk)
    bookings = (
        Booking.objects.filter(session=session)
        .select_related("booked_by", "organisation")
        .prefetch_related("attendees")
        .order_by("requested_at", "pk")
    )
    audit.record_view(request, session)
    taking = [b for b in bookings if b.takes_places]
    waiting = [b for b in bookings if b.status == HoldingStatus.WAITING]
    return TemplateResponse(
        request,
        "courses/admin/session_people.html",
        {
            "page_title": "Bookings and waiting list",
            "session": session,
            # Before any contact: the plans of those who may be contacted from here.
            "plans": plans_for_staff(request, people_of(taking + waiting)),
            "taking": taking,
            "waiting": waiting,
            "ended": [b for b in bookings if not b.is_active],
            "places_left": max(session.capacity - session.taken, 0),
            "can_offer": request.user.has_perm("courses.change_booking"),
            "find_form": FindBookingForm(),
        },
    )


@require_POST
@permission_required("courses.change_booking", raise_exception=True)
def offer_places(request, pk: int, booking_pk: int):
    session = _session(request, pk)
    booking = get_object_or_404(Booking, pk=booking_pk, session=session)
    try:
        services.offer_manually(booking, by=request.user)
    except services.BookingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Places offered to booking {booking.reference}.")
    return redirect("courses_session_people", pk=pk)


@permission_required("courses.view_attendee", raise_exception=True)
def attendee_export(request, pk: int):
    session = _session(request, pk)
    attendees = (
        Attendee.objects.filter(
            session=session,
            status=Attendee.Status.ACTIVE,
            booking__status=HoldingStatus.CONFIRMED,
        )
        .select_related("booking__organisation")
        .order_by("pk")
    )
    # Names are encrypted: sorted after decrypting, not by the database.
    attendees = sorted(attendees, key=lambda a: a.name.casefold())
    audit.record(request.user, audit.Action.EXPORT, session, rows=len(attendees))
    day = timezone.localtime(session.starts_at).date().isoformat()
    return exports.csv_response(
        f"attendees-{session.pk}-{day}.csv",
        ["Name", "Email", "Organisation", "Booking", "Access or dietary needs"],
        (
            [
                a.name,
                a.email,
                a.booking.organisation.name if a.booking.organisation else "",
                a.booking.reference,
                a.needs,
            ]
            for a in attendees
        ),
    )


VIEW_INVOICES = "courses.view_invoices"
MARK_INVOICE_PAID = "courses.change_booking"


class InvoicesOwedView(audit.AuditedListingMixin, ReportView):
    """Invoiced bookings not yet marked paid: what each organisation owes, with its
    purchase-order number, and spreadsheet export. Coordinators mark an invoice paid here."""

    audit_model = Booking
    page_title = "Invoices owed"
    no_results_message = "Nothing is owed: every invoiced booking has been marked paid."
    header_icon = "table"
    results_template_name = "courses/admin/invoices_owed_results.html"
    paginate_by = 100
    export_filename = "invoices-owed"

    @property
    def list_export(self) -> list[str]:
        # Who booked is a person's record: for those who deal with bookings, not for figures.
        booker = ["booked_by.email"] if self.request.user.has_perm(MARK_INVOICE_PAID) else []
        return [
            "reference",
            "organisation.name",
            "purchase_order",
            "owed_pounds",
            "credit_pounds",
            "session",
            *booker,
            "created_at",
        ]

    export_headings = {
        "reference": "Booking",
        "organisation.name": "Organisation",
        "purchase_order": "Purchase order",
        "owed_pounds": "Owed (£)",
        "credit_pounds": "Credit due (£)",
        "session": "Session",
        "booked_by.email": "Booked by",
        "created_at": "Booked on",
    }

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_INVOICES):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        # Scoped: a coordinator sees their localities' invoices; commissioners all figures.
        visible = selectors.sessions_in_figures_of(self.request.user)
        return selectors.unpaid_invoices().filter(session__in=visible)

    def decorate_paginated_queryset(self, object_list):
        for booking in object_list:
            paid = booking.invoice_paid_at is not None
            booking.owed_pence = 0 if paid else booking.invoice_owed_pence
            booking.credit_pence = booking.invoice_credit_pence if paid else 0
            # The spreadsheet's cells are numbers of pounds.
            booking.owed_pounds = pounds_number(booking.owed_pence)
            booking.credit_pounds = pounds_number(booking.credit_pence)
        return object_list

    def get_breadcrumbs_items(self):
        return [{"url": "", "label": "Reports"}, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bookings = self.object_list
        context["total_owed"] = sum(
            b.invoice_owed_pence for b in bookings if b.invoice_paid_at is None
        )
        context["total_credit"] = sum(
            b.invoice_credit_pence for b in bookings if b.invoice_paid_at is not None
        )
        context["can_mark_paid"] = self.request.user.has_perm(MARK_INVOICE_PAID)
        return context

    @property
    def index_url(self):
        return reverse("courses_invoices_owed")

    @property
    def index_results_url(self):
        return reverse("courses_invoices_owed")


@require_POST
def mark_invoice_paid(request, booking_pk: int):
    return _settle_invoice(
        request, booking_pk, services.mark_invoice_paid, "Invoice for booking {} ({}) marked paid."
    )


@require_POST
def mark_invoice_credited(request, booking_pk: int):
    return _settle_invoice(
        request,
        booking_pk,
        services.mark_invoice_credited,
        "Credit for booking {} ({}) marked given.",
    )


def _settle_invoice(request, booking_pk: int, settle, done: str):
    if not (request.user.has_perm(VIEW_INVOICES) and request.user.has_perm(MARK_INVOICE_PAID)):
        raise PermissionDenied
    visible = selectors.sessions_in_figures_of(request.user)
    booking = get_object_or_404(Booking, pk=booking_pk, session__in=visible)
    try:
        settle(booking, by=request.user)
    except services.BookingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, format_html(done, booking.reference, booking.purchase_order))
    return redirect("courses_invoices_owed")
