"""Recovery programme reports, registered with portal.reports. Each counts only the
enrolments of the cohorts the requesting user sees (`selectors.enrolments_in_figures_of`:
the whole service for commissioners) in a constant number of queries; the report view
suppresses small numbers. A person "started" once they accepted a place (`accepted_at`);
their month is the month of their first week (the week they joined). A report with nothing
to count in the user's scope has no rows.

`enrolment_starts` gives referrals' "days to a service starting" report the day a
programme really began for the person (their first week, once it has started)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime
from statistics import median

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from portal.attendance.models import ATTENDED, AttendanceMark, SeriesCompletion
from portal.localities import Locality
from portal.places import HoldingStatus
from portal.reports.registry import Percent, ServiceReport, register
from portal.reports.suppression import Figures
from referrals.models import Outcome, Referral
from referrals.selectors import referrals_in_figures_of

from . import selectors
from .models import Cohort, Enrolment, ProgrammeSession

TOTAL = "Total"


def _first_week_at() -> Subquery:
    return Subquery(
        ProgrammeSession.objects.filter(
            cohort=OuterRef("cohort"), week=OuterRef("joined_week")
        ).values("starts_at")[:1]
    )


def _between(queryset: QuerySet, field: str, date_from: date | None, date_to: date | None):
    if date_from:
        queryset = queryset.filter(**{f"{field}__date__gte": date_from})
    if date_to:
        queryset = queryset.filter(**{f"{field}__date__lte": date_to})
    return queryset


def _started(date_from, date_to, user) -> QuerySet[Enrolment]:
    started = (
        selectors.enrolments_in_figures_of(user)
        .filter(accepted_at__isnull=False)
        .annotate(first_week_at=_first_week_at())
    )
    return _between(started, "first_week_at", date_from, date_to).order_by()


def enrolments_attendance_and_completion(date_from=None, date_to=None, user=None) -> list[dict]:
    enrolments = list(
        _started(date_from, date_to, user).values_list(
            "pk", "cohort__programme__title", "cohort__locality__name", "first_week_at"
        )
    )
    if not enrolments:
        return []
    pks = [pk for pk, *_ in enrolments]
    enrolment_type = ContentType.objects.get_for_model(Enrolment)
    completed = set(
        SeriesCompletion.objects.filter(
            series_type=ContentType.objects.get_for_model(Cohort),
            person_type=enrolment_type,
            person_id__in=pks,
            completed=True,
        ).values_list("person_id", flat=True)
    )
    marks = {
        row["person_id"]: (row["attended"], row["marked"])
        for row in AttendanceMark.objects.filter(
            occurrence_type=ContentType.objects.get_for_model(ProgrammeSession),
            person_type=enrolment_type,
            person_id__in=pks,
        )
        .order_by()
        .values("person_id")
        .annotate(attended=Count("pk", filter=Q(status__in=ATTENDED)), marked=Count("pk"))
    }
    groups: dict[tuple, list[int]] = defaultdict(list)
    for pk, programme, locality, first_week_at in enrolments:
        month = timezone.localtime(first_week_at).date().replace(day=1) if first_week_at else None
        groups[(programme, locality, month or date.min)].append(pk)
    rows = [
        _attendance_row(programme, locality, month.strftime("%B %Y"), people, completed, marks)
        for (programme, locality, month), people in sorted(groups.items())
    ]
    rows.append(_attendance_row(TOTAL, "", "", pks, completed, marks))
    return rows


def _attendance_row(programme, locality, month, people, completed, marks) -> dict:
    attended = sum(marks.get(pk, (0, 0))[0] for pk in people)
    marked = sum(marks.get(pk, (0, 0))[1] for pk in people)
    done = sum(1 for pk in people if pk in completed)
    return {
        "programme": programme,
        "locality": locality,
        "month": month,
        "started": len(people),
        "completed": done,
        "completion_rate": Percent.of(done, len(people)),
        "attendance_rate": Percent.of(attended, marked),
    }


def withdrawals(date_from=None, date_to=None, user=None) -> list[dict]:
    left = _between(
        selectors.enrolments_in_figures_of(user).filter(withdrawn_at__isnull=False),
        "withdrawn_at",
        date_from,
        date_to,
    ).order_by()
    counts: Counter = Counter()
    for programme, locality, accepted_at, reason in left.values_list(
        "cohort__programme__title", "cohort__locality__name", "accepted_at", "withdrawal_reason"
    ):
        key = (programme, locality)
        counts[key, "after" if accepted_at else "before"] += 1
        counts[key, "reason"] += bool(reason)
    if not counts:
        return []
    rows = []
    for programme, locality in sorted({key for key, _ in counts}):
        rows.append(_withdrawal_row(programme, locality, counts, {(programme, locality)}))
    rows.append(_withdrawal_row(TOTAL, "", counts, {key for key, _ in counts}))
    return rows


def _withdrawal_row(programme, locality, counts, keys) -> dict:
    row = {"programme": programme, "locality": locality}
    for part in ("before", "after", "reason"):
        row[part] = sum(counts[key, part] for key in keys)
    row["withdrawals"] = row["before"] + row["after"]
    return row


def waiting_lists(date_from=None, date_to=None, user=None) -> list[dict]:
    waiting = _between(
        selectors.enrolments_in_figures_of(user).filter(
            status__in=(HoldingStatus.WAITING, HoldingStatus.OFFERED)
        ),
        "requested_at",
        date_from,
        date_to,
    )
    by_locality = {
        row["cohort__locality"]: row
        for row in waiting.order_by()
        .values("cohort__locality")
        .annotate(
            waiting=Count("pk", filter=Q(status=HoldingStatus.WAITING)),
            offered=Count("pk", filter=Q(status=HoldingStatus.OFFERED)),
        )
    }
    if not by_locality:
        return []
    rows = []
    for locality in Locality.objects.order_by("sort_order", "name"):
        found = by_locality.get(locality.pk, {})
        rows.append(
            {
                "locality": locality.name,
                "waiting": found.get("waiting", 0),
                "offered": found.get("offered", 0),
            }
        )
    rows.append(
        {
            "locality": TOTAL,
            "waiting": sum(row["waiting"] for row in rows),
            "offered": sum(row["offered"] for row in rows),
        }
    )
    for row in rows:
        row["without_place"] = row["waiting"] + row["offered"]
    return rows


def days_to_a_place(date_from=None, date_to=None, user=None) -> list[dict]:
    made = _between(
        referrals_in_figures_of(user).filter(outcome=Outcome.PROGRAMME),
        "created_at",
        date_from,
        date_to,
    ).order_by()
    placed_at = dict(
        Enrolment.objects.filter(referral__in=made.values("pk"), accepted_at__isnull=False)
        .order_by()
        .values("referral")
        .annotate(first=Min("accepted_at"))
        .values_list("referral", "first")
    )
    waits: dict = defaultdict(list)
    not_yet: Counter = Counter()
    for pk, locality, created in made.values_list("pk", "locality", "created_at"):
        if pk in placed_at:
            waits[locality].append((placed_at[pk] - created).total_seconds() / 86400)
        else:
            not_yet[locality] += 1
    if not waits and not not_yet:
        return []
    rows = []
    everyone: list[float] = []
    for locality in Locality.objects.order_by("sort_order", "name"):
        days = waits.get(locality.pk, [])
        everyone += days
        rows.append(_wait_row(locality.name, days, not_yet[locality.pk]))
    rows.append(_wait_row(TOTAL, everyone, sum(not_yet.values())))
    return rows


def _wait_row(name: str, days: list[float], not_yet: int) -> dict:
    return {
        "locality": name,
        "placed": len(days),
        "average_days": round(sum(days) / len(days), 1) if days else None,
        "median_days": round(median(days), 1) if days else None,
        "not_yet": not_yet,
    }


def enrolment_starts(referrals: QuerySet[Referral]) -> dict[int, datetime]:
    """For referrals' service-start report: {referral pk: the start of the person's first
    programme week}, for those whose first week has begun (one query)."""
    started = (
        Enrolment.objects.filter(referral__in=referrals.values("pk"), accepted_at__isnull=False)
        .annotate(first_week_at=_first_week_at())
        .filter(first_week_at__lte=timezone.now())
        .order_by()
        .values("referral")
        .annotate(first=Min("first_week_at"))
        .values_list("referral", "first")
    )
    return dict(started)


STARTED_DATES = "People whose first week was between these dates."

register(
    ServiceReport(
        slug="programme-enrolments",
        title="Programme enrolments, attendance and completion",
        description="People who took a place on a recovery programme, by programme, "
        "locality and the month of their first week: how many completed it (by the "
        "programme's rule) and the share of their register marks that were present or late.",
        columns=[
            ("programme", "Programme"),
            ("locality", "Locality"),
            ("month", "Month"),
            ("started", "People who started"),
            ("completed", "Completed"),
            ("completion_rate", "Completion rate (%)"),
            ("attendance_rate", "Attendance (%)"),
        ],
        rows=enrolments_attendance_and_completion,
        permission="programmes.report_programme_enrolments",
        figures=Figures(
            counts=("started", "completed"),
            derived={
                "completion_rate": ("started", "completed"),
                "attendance_rate": ("started",),
            },
            column_totals=("started", "completed"),
        ),
        date_help=STARTED_DATES,
        order=60,
    )
)
register(
    ServiceReport(
        slug="programme-withdrawals",
        title="Programme withdrawals",
        description="People who left a recovery programme, its waiting list or an offer, by "
        "programme and locality: before or after starting, and how many gave a reason (the "
        "reasons themselves are the person's words, not figures).",
        columns=[
            ("programme", "Programme"),
            ("locality", "Locality"),
            ("before", "Before starting"),
            ("after", "After starting"),
            ("withdrawals", "Withdrawals"),
            ("reason", "Gave a reason"),
        ],
        rows=withdrawals,
        permission="programmes.report_programme_withdrawals",
        figures=Figures(
            counts=("before", "after", "withdrawals", "reason"),
            row_totals={"withdrawals": ("before", "after")},
            column_totals=("before", "after", "withdrawals", "reason"),
        ),
        date_help="Withdrawals between these dates.",
        order=61,
    )
)
register(
    ServiceReport(
        slug="programme-waiting-lists",
        title="Programme waiting lists by locality",
        description="People waiting for a place on a recovery programme now, by the "
        "locality of the group (Online for online groups): on the waiting list, or offered "
        "a place and not yet answered.",
        columns=[
            ("locality", "Locality"),
            ("waiting", "On the waiting list"),
            ("offered", "Offered, not yet answered"),
            ("without_place", "Waiting for a place"),
        ],
        rows=waiting_lists,
        permission="programmes.report_programme_waiting_lists",
        figures=Figures(
            counts=("waiting", "offered", "without_place"),
            row_totals={"without_place": ("waiting", "offered")},
            column_totals=("waiting", "offered", "without_place"),
        ),
        date_help="People still waiting who asked between these dates.",
        order=62,
    )
)
register(
    ServiceReport(
        slug="programme-days-to-a-place",
        title="Days from referral to a programme place",
        description="For referrals to a recovery programme made in the period: how long "
        "until the person accepted a place in a group, by the referral's locality.",
        columns=[
            ("locality", "Locality"),
            ("placed", "Places taken"),
            ("average_days", "Average days"),
            ("median_days", "Median days"),
            ("not_yet", "No place yet"),
        ],
        rows=days_to_a_place,
        permission="programmes.report_programme_days_to_a_place",
        figures=Figures(
            counts=("placed", "not_yet"),
            derived={"average_days": ("placed",), "median_days": ("placed",)},
            column_totals=("placed", "not_yet"),
        ),
        date_help="Referrals made between these dates.",
        order=63,
    )
)
