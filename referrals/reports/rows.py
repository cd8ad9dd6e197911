"""Referral and helpline reports, registered with portal.reports. Each counts only what the
requesting user's scope allows (`selectors.referrals_in_figures_of`: the whole service for
commissioners) in a constant number of queries; the report view suppresses small numbers.
Referrals are counted by the day they were made, helpline calls by the day of the call
(local time). A helpline contact is an advice contact or a referral recorded from a call.
A report with nothing to count in the user's scope has no rows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from statistics import median

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractHour, TruncMonth

from portal.localities import Locality

from .. import dash, selectors
from ..models import CallerType, Closure, Outcome, Referral, Route, Source

TOTAL = "Total"
# The helpline is open 8am to 6pm: a column per opening hour, one for calls outside them.
HELPLINE_HOURS = range(8, 18)
HOURS = {f"h{hour:02d}": hour for hour in HELPLINE_HOURS}
HOUR_KEYS = tuple(HOURS)
SOURCE_KEYS = tuple(value for value, _ in Source.choices)
ATTEMPT_BANDS = ("0", "1", "2", "3", "4+")
RISK_KEYS = {f"risk_{level}": level for level in dash.LEVELS}
# Outcomes that start a service; the day it started is the day the outcome was recorded,
# unless an app that runs the service says when it really began (`register_service_start`).
SERVICE_STARTS = (
    Outcome.COMMUNITY_WORKER,
    Outcome.COUNSELLING_INDIVIDUAL,
    Outcome.COUNSELLING_FAMILY,
    Outcome.PROGRAMME,
)
ServiceStart = Callable[[QuerySet[Referral]], dict[int, datetime]]
_service_starts: list[ServiceStart] = []


def register_service_start(provider: ServiceStart) -> ServiceStart:
    """For an app that knows when a service began (programmes: the enrolment's start), from
    its `ready()`: `provider(referrals)` gives {referral pk: when it started} for those it
    knows, in a constant number of queries; its dates replace the outcome's."""
    if provider not in _service_starts:
        _service_starts.append(provider)
    return provider


def _between(queryset: QuerySet, field: str, date_from: date | None, date_to: date | None):
    if date_from:
        queryset = queryset.filter(**{f"{field}__date__gte": date_from})
    if date_to:
        queryset = queryset.filter(**{f"{field}__date__lte": date_to})
    return queryset


def _referrals(date_from, date_to, user):
    return _between(selectors.referrals_in_figures_of(user), "created_at", date_from, date_to)


def _advice(date_from, date_to, user):
    return _between(selectors.advice_contacts_in_figures_of(user), "called_at", date_from, date_to)


def helpline_by_caller_and_hour(date_from=None, date_to=None, user=None) -> list[dict]:
    counts: Counter = Counter()
    calls = [
        _advice(date_from, date_to, user).annotate(hour=ExtractHour("called_at")),
        _referrals(date_from, date_to, user)
        .filter(source=Source.HELPLINE)
        .annotate(hour=ExtractHour("created_at")),
    ]
    for queryset in calls:
        for row in queryset.order_by().values("caller_type", "hour").annotate(n=Count("pk")):
            counts[(row["caller_type"], row["hour"])] += row["n"]
    if not counts:
        return []
    rows = []
    for caller, label in [*CallerType.choices, (None, "All callers")]:

        def count(hour, caller=caller):
            return sum(n for (c, h), n in counts.items() if h == hour and caller in (None, c))

        row = {"caller": label, **{key: count(h) for key, h in HOURS.items()}}
        row["other_hours"] = sum(
            n for (c, h), n in counts.items() if h not in HELPLINE_HOURS and caller in (None, c)
        )
        row["calls"] = sum(row[key] for key in (*HOUR_KEYS, "other_hours"))
        rows.append(row)
    return rows


def referrals_by_source_and_month(date_from=None, date_to=None, user=None) -> list[dict]:
    by_month = (
        _referrals(date_from, date_to, user)
        .annotate(month=TruncMonth("created_at"))
        .order_by()
        .values("month", "source")
        .annotate(n=Count("pk"))
    )
    advice = (
        _advice(date_from, date_to, user)
        .annotate(month=TruncMonth("called_at"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
    )
    counts = Counter({(r["month"].date(), r["source"]): r["n"] for r in by_month})
    advice_counts = {r["month"].date(): r["n"] for r in advice}
    months = sorted({month for month, _ in counts} | set(advice_counts))
    if not months:
        return []
    rows = []
    for month in [*months, None]:
        row = {"month": month.strftime("%B %Y") if month else TOTAL}
        for key in SOURCE_KEYS:
            row[key] = sum(n for (m, s), n in counts.items() if s == key and month in (None, m))
        row["referrals"] = sum(row[key] for key in SOURCE_KEYS)
        row["advice"] = advice_counts.get(month, 0) if month else sum(advice_counts.values())
        rows.append(row)
    return rows


def referrals_by_locality(date_from=None, date_to=None, user=None) -> list[dict]:
    referrals = (
        _referrals(date_from, date_to, user)
        .order_by()
        .values("locality")
        .annotate(
            community=Count("pk", filter=Q(route=Route.COMMUNITY)),
            high_risk=Count("pk", filter=Q(route=Route.HIGH_RISK)),
            **{key: Count("pk", filter=Q(risk_level=level)) for key, level in RISK_KEYS.items()},
        )
    )
    advice = _advice(date_from, date_to, user).order_by().values("locality").annotate(n=Count("pk"))
    by_locality = {row["locality"]: row for row in referrals}
    advice_by_locality = {row["locality"]: row["n"] for row in advice}
    if not by_locality and not advice_by_locality:
        return []
    places = [(loc.pk, loc.name) for loc in Locality.objects.order_by("name")]
    if None in advice_by_locality:
        places.append((None, "Not given"))
    rows = []
    for pk, name in places:
        found = by_locality.get(pk, {})
        row = {
            "locality": name,
            "community": found.get("community", 0),
            "high_risk": found.get("high_risk", 0),
            **{key: found.get(key, 0) for key in RISK_KEYS},
            "advice": advice_by_locality.get(pk, 0),
        }
        rows.append(row)
    rows.append(
        {
            "locality": TOTAL,
            **{
                key: sum(row[key] for row in rows)
                for key in ("community", "high_risk", *RISK_KEYS, "advice")
            },
        }
    )
    for row in rows:
        row["referrals"] = row["community"] + row["high_risk"]
    return rows


def referral_outcomes(date_from=None, date_to=None, user=None) -> list[dict]:
    counts = dict(
        _referrals(date_from, date_to, user)
        .order_by()
        .values("outcome")
        .annotate(n=Count("pk"))
        .values_list("outcome", "n")
    )
    if not counts:
        return []
    rows = [
        {"outcome": label, "referrals": counts.get(value, 0)}
        for value, label in [*Outcome.choices, ("", "Not decided yet")]
    ]
    rows.append({"outcome": TOTAL, "referrals": sum(counts.values())})
    return rows


def support_endings(date_from=None, date_to=None, user=None) -> list[dict]:
    """Community worker cases that ended in the period, by why (`services.close_case`)."""
    counts = dict(
        _between(selectors.referrals_in_figures_of(user), "closed_at", date_from, date_to)
        .exclude(closure="")
        .order_by()
        .values("closure")
        .annotate(n=Count("pk"))
        .values_list("closure", "n")
    )
    if not counts:
        return []
    rows = [{"closure": label, "cases": counts.get(value, 0)} for value, label in Closure.choices]
    rows.append({"closure": TOTAL, "cases": sum(counts.values())})
    return rows


def days_to_first_contact(date_from=None, date_to=None, user=None) -> list[dict]:
    made = _referrals(date_from, date_to, user).order_by()
    waits: dict = {}
    waiting = Counter()
    for locality, created, contacted in made.values_list(
        "locality", "created_at", "first_contact_at"
    ):
        if contacted is None:
            waiting[locality] += 1
        else:
            waits.setdefault(locality, []).append((contacted - created).total_seconds() / 86400)
    if not waits and not waiting:
        return []
    rows = []
    everyone: list[float] = []
    for locality in Locality.objects.order_by("name"):
        days = waits.get(locality.pk, [])
        everyone += days
        rows.append(_wait_row(locality.name, days, waiting[locality.pk]))
    rows.append(_wait_row(TOTAL, everyone, sum(waiting.values())))
    return rows


def days_to_service_start(date_from=None, date_to=None, user=None) -> list[dict]:
    made = _referrals(date_from, date_to, user).order_by()
    started_at = {}
    for provider in _service_starts:
        started_at.update(provider(made))
    waits: dict = {}
    not_started = Counter()
    for pk, locality, created, outcome, decided in made.values_list(
        "pk", "locality", "created_at", "outcome", "decided_at"
    ):
        started = started_at.get(pk) or (decided if outcome in SERVICE_STARTS else None)
        if started is None:
            not_started[locality] += 1
        else:
            waits.setdefault(locality, []).append((started - created).total_seconds() / 86400)
    if not waits and not not_started:
        return []
    rows = []
    everyone: list[float] = []
    for locality in Locality.objects.order_by("name"):
        days = waits.get(locality.pk, [])
        everyone += days
        rows.append(_wait_row(locality.name, days, not_started[locality.pk]))
    rows.append(_wait_row(TOTAL, everyone, sum(not_started.values())))
    return rows


def _wait_row(name: str, days: list[float], waiting: int) -> dict:
    return {
        "locality": name,
        "contacted": len(days),
        "average_days": round(sum(days) / len(days), 1) if days else None,
        "median_days": round(median(days), 1) if days else None,
        "not_yet": waiting,
    }


def contact_attempts(date_from=None, date_to=None, user=None) -> list[dict]:
    made = (
        _referrals(date_from, date_to, user)
        .order_by()
        .annotate(tries=Count("attempts"))
        .values_list("tries", flat=True)
    )
    bands = Counter(ATTEMPT_BANDS[min(tries, len(ATTEMPT_BANDS) - 1)] for tries in made)
    if not bands:
        return []
    rows = [{"attempts": band, "referrals": bands[band]} for band in ATTEMPT_BANDS]
    rows.append({"attempts": TOTAL, "referrals": sum(bands.values())})
    return rows
