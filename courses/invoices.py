"""Invoices for bookings paid by purchase order: one PDF per booking, drawn with fpdf2's
built-in Helvetica (nothing fetched or embedded from elsewhere), for the booker from their
booking page and for the staff who handle invoices from the "invoices owed" report."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from courses.models import Booking
from portal import audit
from portal.attendance.certificates import printable
from portal.money import pounds

# Who handles invoices in the staff area: those who see them and may mark them paid
# (courses.admin_views.VIEW_INVOICES and MARK_INVOICE_PAID).
HANDLES_INVOICES = ("courses.view_invoices", "courses.change_booking")


@dataclass(frozen=True)
class Line:
    description: str
    quantity: int | None
    unit_pence: int | None
    amount_pence: int


def has_invoice(booking: Booking) -> bool:
    """An invoiced booking whose places were confirmed: something is, or was, owed."""
    return bool(
        booking.is_invoiced
        and booking.unit_price_pence
        and (booking.invoice_owed_pence or booking.invoice_paid_at)
    )


def number(booking: Booking) -> str:
    return f"INV-{booking.reference}"


def lines(booking: Booking) -> list[Line]:
    """What the organisation is charged for, adding up to what it owes: the places it holds,
    and what it is still charged for places cancelled since (kept under the cancellation
    policy, or cancelled after it paid: the credit due then shows beneath the total)."""
    session = booking.session
    starts = timezone.localtime(session.starts_at)
    where = "online" if session.online else session.venue.splitlines()[0].strip(" ,")
    places = Line(
        f"{session.course.title}, {starts:%-d %B %Y, %H:%M}, {where}",
        booking.quantity,
        booking.unit_price_pence,
        booking.total_pence,
    )
    rest = booking.invoice_owed_pence - booking.total_pence
    if not rest:
        return [places]
    label = "For places since cancelled (cancellation policy)" if rest > 0 else "Places cancelled"
    return [places, Line(label, None, None, rest)]


def render(booking: Booking) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(printable(f"Invoice {number(booking)}"))
    pdf.set_author(printable(settings.SERVICE_NAME))
    # Uncompressed: a one-page invoice stays small, and its text stays searchable.
    pdf.set_compression(False)
    pdf.add_page()

    def text(value: str, size: int = 11, style: str = "", align: str = "L") -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(
            0, size * 0.5, printable(value), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    text(settings.SERVICE_NAME, 14, "B", "R")
    for part in settings.SERVICE_ADDRESS.split(","):
        if part.strip():
            text(part.strip(), align="R")
    pdf.ln(6)
    text("Invoice", 24, "B")
    pdf.ln(4)
    organisation = booking.organisation.name if booking.organisation else ""
    booker = booking.booked_by.get_full_name() or booking.booked_by.email
    details = [
        ("Invoice number", number(booking)),
        ("Date", f"{timezone.localtime(booking.created_at):%-d %B %Y}"),
        ("Purchase order", booking.purchase_order or "None given"),
        ("Booking reference", booking.reference),
        ("To", organisation),
        ("Booked by", booker),
    ]
    for label, value in details:
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(45, 7, printable(label))
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(0, 7, printable(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    pdf.set_font("Helvetica", "", 11)
    with pdf.table(
        col_widths=(100, 22, 34, 34), text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT")
    ) as table:
        table.row(["Description", "Places", "Price each", "Amount"])
        for line in lines(booking):
            table.row(
                [
                    printable(line.description),
                    "" if line.quantity is None else str(line.quantity),
                    "" if line.unit_pence is None else pounds(line.unit_pence),
                    pounds(line.amount_pence),
                ]
            )
    pdf.ln(4)
    text(f"Total due: {pounds(booking.invoice_owed_pence)}", 14, "B", "R")
    if booking.invoice_paid_at is not None:
        text(
            f"Paid on {timezone.localtime(booking.invoice_paid_at):%-d %B %Y}. Thank you.",
            align="R",
        )
    if booking.invoice_credit_pence:
        given = booking.invoice_credited_at
        credit = f"Credit due to you: {pounds(booking.invoice_credit_pence)}"
        text(
            credit + (f" (given on {timezone.localtime(given):%-d %B %Y})" if given else ""),
            align="R",
        )
    pdf.ln(8)
    text("Please quote the invoice number and your purchase order when you pay.")
    return bytes(pdf.output())


def _response(booking: Booking) -> HttpResponse:
    response = HttpResponse(render(booking), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="invoice-{booking.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _invoiced_booking(**lookup) -> Booking:
    booking = get_object_or_404(
        Booking.objects.select_related("session__course", "organisation", "booked_by"), **lookup
    )
    if not has_invoice(booking):
        raise Http404("No invoice for this booking.")
    return booking


@login_required
def booker_invoice(request, reference: str):
    """From the booking page: only the person who made the booking."""
    booking = _invoiced_booking(reference=reference)
    if booking.booked_by_id != request.user.pk:
        raise Http404("No such booking.")
    return _response(booking)


def staff_invoice(request, booking_pk: int):
    """From the "invoices owed" report, for those who handle invoices; the download is audited."""
    if not request.user.has_perms(HANDLES_INVOICES):
        raise PermissionDenied
    booking = _invoiced_booking(pk=booking_pk)
    audit.record(request.user, audit.Action.EXPORT, booking, document="invoice")
    return _response(booking)
