"""Commissioner reports across the whole service. Each app declares its reports in its own
`reports.py` (training now; volunteer hours and programme completions later), discovered when
Django starts; portal.reports shows them in the staff area with spreadsheet export."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.http import Http404

Rows = Callable[[date | None, date | None], Iterable[dict]]


@dataclass(frozen=True)
class ServiceReport:
    slug: str
    title: str
    description: str
    # (key in each row, column heading), in display order.
    columns: list[tuple[str, str]]
    # rows(date_from, date_to): one dict per table row, each in a constant number of queries.
    rows: Rows
    date_help: str = "Sessions starting between these dates."
    order: int = 100


_reports: dict[str, ServiceReport] = {}


def register(report: ServiceReport) -> ServiceReport:
    _reports[report.slug] = report
    return report


def all_reports() -> list[ServiceReport]:
    return sorted(_reports.values(), key=lambda r: (r.order, r.title))


def report_by_slug(slug: str) -> ServiceReport:
    try:
        return _reports[slug]
    except KeyError:
        raise Http404("No such report.") from None
