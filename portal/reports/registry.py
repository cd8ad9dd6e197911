"""Commissioner reports across the whole service, and every staff role's figures.

Each app registers its reports in its own `reports.py` (training now; volunteer hours and
programme completions later), discovered when Django starts; portal.reports shows them in
the staff area with spreadsheet export. A report declares:

- `rows(date_from, date_to, user=...)`: its rows, counting only what that user's staff scope
  allows (`portal.scope`: commissioners and superusers count the whole service);
- `permission`: the one Django permission that lets a role see it, declared in its app's
  model Meta and granted to roles by that app's migrations (Wagtail's group editor shows it
  beside the model's other permissions, so an administrator can give or take one report);
- `figures`: which values count people and how they add up, for small-number suppression
  (`portal.reports.suppression`). The screen and both exports show `shown_rows()`: never a
  raw count of 1 to 4, nor one that could be worked out from the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.core import checks
from django.http import Http404

from portal.reports.suppression import Figures

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
    # "app_label.codename" of the permission that shows this report.
    permission: str
    figures: Figures
    date_help: str = "Sessions starting between these dates."
    order: int = 100

    def may_be_seen_by(self, user) -> bool:
        return user.is_authenticated and user.has_perm(self.permission)

    def shown_rows(self, date_from, date_to, *, user) -> list[dict]:
        """The rows as this user may see them, on screen and in every export: scoped to
        them, small numbers suppressed."""
        return self.figures.apply(list(self.rows(date_from, date_to, user=user)))


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


def reports_for(user) -> list[ServiceReport]:
    return [report for report in all_reports() if report.may_be_seen_by(user)]


def report_for(user, slug: str) -> ServiceReport:
    """The report, if this user may see it; a 404 like a report that does not exist if not."""
    report = _reports.get(slug)
    if report is None or not report.may_be_seen_by(user):
        raise Http404("No such report.")
    return report


def check_permissions_are_declared(**kwargs) -> list[checks.CheckMessage]:
    """A report whose permission no model declares would be shown to superusers only."""
    declared = {
        f"{model._meta.app_label}.{codename}"
        for model in apps.get_models()
        for codename, _ in model._meta.permissions
    }
    return [
        checks.Error(
            f"The report {report.slug!r} names the permission {report.permission!r}, which "
            "no model's Meta.permissions declares.",
            id="reports.E001",
        )
        for report in all_reports()
        if report.permission not in declared
    ]
