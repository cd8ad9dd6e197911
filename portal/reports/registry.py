"""Commissioner reports across the whole service. Each app declares its reports in its own
`reports.py` (training now; volunteer hours and programme completions later), discovered when
Django starts; portal.reports shows them in the staff area with spreadsheet export."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.http import Http404

# rows(date_from, date_to, user=...): the rows the requesting member of staff may see, by
# the staff scope (portal.scope: commissioners and superusers count the whole service).
Rows = Callable[..., Iterable[dict]]


@dataclass(frozen=True)
class ServiceReport:
    slug: str
    title: str
    description: str
    # (key in each row, column heading), in display order.
    columns: list[tuple[str, str]]
    # rows(date_from, date_to, user=request.user): one dict per table row, each in a constant
    # number of queries, counting only what that user's scope allows.
    rows: Rows
    date_help: str = "Sessions starting between these dates."
    order: int = 100


@dataclass(frozen=True)
class Percent:
    """A rate in a report row: "75%" on screen; in XLSX a number cell (0.75) formatted as a
    percentage, in CSV the plain number of percent (75) under a heading that says "%".
    Rounded to whole percent everywhere, so a download says no more than the screen."""

    fraction: Decimal

    @classmethod
    def of(cls, part: int, whole: int) -> Percent | None:
        """part out of whole, or None (an empty cell) when there is nothing to divide by."""
        if not whole:
            return None
        return cls((Decimal(part) / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP))

    @property
    def points(self) -> int:
        return int(self.fraction * 100)

    def __str__(self) -> str:
        return f"{self.points}%"


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
