"""Certificates of attendance (or of completion, for a series) as PDF, drawn with fpdf2's
built-in Helvetica (nothing fetched or embedded from elsewhere)."""

from __future__ import annotations

import unicodedata

from django.conf import settings
from fpdf import FPDF

from portal.attendance.registry import CertificateDetails


def printable(text: str) -> str:
    """The built-in PDF fonts cover Latin-1; letters outside it lose their accents rather
    than the whole certificate failing (e.g. "Ł" becomes "L" only if it decomposes)."""
    out = []
    for char in text:
        try:
            char.encode("latin-1")
            out.append(char)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode()
            out.append(base or "?")
    return "".join(out)


def render(details: CertificateDetails, reference: str, verify_url: str) -> bytes:
    # A series (a 12-week programme) gets one certificate of completion, from its first to
    # its last occurrence; a single occurrence a certificate of attendance on its day.
    kind = "completion" if details.held_until else "attendance"
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(printable(f"Certificate of {kind}: {details.title}"))
    pdf.set_author(printable(settings.SERVICE_NAME))
    pdf.set_auto_page_break(auto=False)
    # Uncompressed: a one-page certificate stays small, and its text stays searchable.
    pdf.set_compression(False)
    pdf.add_page()
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)

    def line(text: str, size: int, style: str = "", gap: float = 4) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(0, size * 0.5, printable(text), align="C")
        pdf.ln(gap)

    pdf.set_y(32)
    line(details.provider or settings.SERVICE_NAME, 14)
    line(f"Certificate of {kind}", 30, "B", 10)
    line("This is to certify that", 14)
    line(details.name, 26, "B", 6)
    line("completed" if details.held_until else "attended", 14)
    line(details.title, 20, "B", 6)
    if details.held_until:
        line(f"from {details.held_on:%-d %B %Y} to {details.held_until:%-d %B %Y}", 14)
    else:
        line(f"on {details.held_on:%-d %B %Y}", 14)
    if details.cpd_hours:
        line(f"CPD hours: {details.cpd_hours.normalize():f}", 14)
    if details.hours:
        line(f"Hours: {details.hours.normalize():f}", 14)
    pdf.set_y(pdf.h - 40)
    line(f"Verification reference: {reference}", 11)
    line(f"Check it at {verify_url}", 10)
    return bytes(pdf.output())
