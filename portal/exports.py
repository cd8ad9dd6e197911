"""Spreadsheet exports that cannot run formulas: the one place CSV cells are made safe.

A spreadsheet opening a CSV runs a cell that starts with `=`, `+`, `-` or `@` (and some also
after a leading tab or carriage return) as a formula: a name or purchase-order number typed
as `=HYPERLINK(...)` would run on a member of staff's machine. `neutralise()` puts an
apostrophe before such a cell, which spreadsheets show as text and hide.

- Our own CSV views write with `csv_response()`.
- Wagtail's exports (ReportView, ModelViewSet listings, its own reports, form submissions)
  all prepare their cells in `SpreadsheetExportMixin.preprocess_field_value`; `install()`
  (called from PortalConfig.ready) wraps it so every CSV they write is neutralised too.
  Their XLSX is already safe: Wagtail stores formula-looking text as a text cell.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The cell's value, with an apostrophe first if it is text a spreadsheet would run.
    Numbers stay numbers (a negative amount is not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> HttpResponse:
    """A CSV download with every cell neutralised."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return response


def install() -> None:
    """Make every Wagtail spreadsheet export neutralise its CSV cells (idempotent)."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    prepare = SpreadsheetExportMixin.preprocess_field_value
    if getattr(prepare, "neutralises", False):
        return

    def preprocess_field_value(self, field, value, export_format):
        prepared = prepare(self, field, value, export_format)
        return neutralise(prepared) if export_format == self.FORMAT_CSV else prepared

    preprocess_field_value.neutralises = True
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
