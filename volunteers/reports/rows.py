"""The rows of the volunteering reports (registered in volunteers.reports).

Each is one or two queries whatever the number of applications, and counts only the
applications in the requesting user's scope (`selectors.applications_in_figures_of`: a
volunteer coordinator's localities, the whole service for commissioners). Counts are raw
here: the report view suppresses small ones before anyone sees them. Anonymised
applications are counted like the others (retention keeps their rows for this).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from statistics import median

from django.utils import timezone

from portal import scope
from volunteers import selectors
from volunteers.models import (
    CLOSED,
    PIPELINE,
    TIMED,
    DBSCheck,
    EqualityMonitoring,
    Stage,
    StageChange,
)
from volunteers.selectors import _add_months

TOTAL = "Total"
# Every stage a sent application can be in, in the order a coordinator reads them.
STAGES = [*PIPELINE, Stage.ON_HOLD, Stage.NOT_PROGRESSED, Stage.WITHDRAWN, Stage.STEPPED_DOWN]


def _between(queryset, field: str, date_from: date | None, date_to: date | None):
    if date_from:
        queryset = queryset.filter(**{f"{field}__date__gte": date_from})
    if date_to:
        queryset = queryset.filter(**{f"{field}__date__lte": date_to})
    return queryset


def _average(days: list[int]) -> float | None:
    return round(sum(days) / len(days), 1) if days else None


def applications_by_stage(date_from=None, date_to=None, user=None) -> list[dict]:
    """Each stage: the applications in it now, how many are past the stage's target, and
    the average days they have been in it (not for closed stages: time there is not
    waiting). Applications sent between the dates."""
    applications = _between(
        selectors.applications_in_figures_of(user), "submitted_at", date_from, date_to
    )
    now = timezone.now()
    days: dict[str, list[int]] = defaultdict(list)
    overdue: Counter = Counter()
    for application in applications.only("stage", "stage_entered_at"):
        days[application.stage].append(application.days_in_stage(now))
        if application.stage in TIMED and application.is_overdue(now):
            overdue[application.stage] += 1
    if not days:
        return []
    rows = [
        {
            "stage": Stage(stage).label,
            "applications": len(days[stage]),
            "overdue": overdue[stage],
            "on_time": len(days[stage]) - overdue[stage],
            "average_days": None if stage in CLOSED else _average(days[stage]),
        }
        for stage in STAGES
    ]
    total = {key: sum(row[key] for row in rows) for key in ("applications", "overdue", "on_time")}
    return [*rows, {"stage": TOTAL, **total, "average_days": None}]


def days_to_active(date_from=None, date_to=None, user=None) -> list[dict]:
    """By the month they became active (first time): how many, and the average and median
    days from sending the application."""
    changes = _between(
        StageChange.objects.filter(
            to_stage=Stage.ACTIVE, application__in=selectors.applications_in_figures_of(user)
        ),
        "at",
        date_from,
        date_to,
    ).values_list("application_id", "at", "application__submitted_at")
    first_active: dict[int, tuple] = {}
    for application_id, at, submitted_at in changes.order_by("at", "pk"):
        if submitted_at is not None:
            first_active.setdefault(application_id, (at, submitted_at))
    by_month: dict[date, list[int]] = defaultdict(list)
    for at, submitted_at in first_active.values():
        month = timezone.localtime(at).date().replace(day=1)
        by_month[month].append((at - submitted_at).days)
    rows = [
        {
            "month": month.strftime("%B %Y"),
            "volunteers": len(days),
            "average_days": _average(days),
            "median_days": median(days),
        }
        for month, days in sorted(by_month.items())
    ]
    if not rows:
        return rows
    every = [day for days in by_month.values() for day in days]
    total = {"month": TOTAL, "volunteers": len(every)}
    return [*rows, {**total, "average_days": _average(every), "median_days": median(every)}]


def active_volunteers(date_from=None, date_to=None, user=None) -> list[dict]:
    """Active volunteers now, by each locality and role they chose (someone in two counts
    in both), who became active between the dates; then the different volunteers. A
    coordinator's rows are their own localities'."""
    applications = _between(
        selectors.applications_in_figures_of(user).filter(stage=Stage.ACTIVE),
        "stage_entered_at",
        date_from,
        date_to,
    )
    pairs = applications.values_list("pk", "localities__name", "localities__pk", "roles__title")
    if not scope.sees_all_figures(user):
        pairs = pairs.filter(localities__in=scope.locality_ids(user))
    people: dict[tuple[str, str], set[int]] = defaultdict(set)
    everyone: set[int] = set()
    for pk, locality, _, role in pairs:
        if locality and role:
            people[(locality, role)].add(pk)
            everyone.add(pk)
    rows = [
        {"locality": locality, "role": role, "volunteers": len(pks)}
        for (locality, role), pks in sorted(people.items())
    ]
    return [*rows, {"locality": TOTAL, "role": "", "volunteers": len(everyone)}] if rows else rows


def dbs_renewals(date_from=None, date_to=None, user=None) -> list[dict]:
    """Active volunteers' DBS renewals by the month they fall due (between the dates; with
    none, the next twelve months), split by Update Service subscription, with those already
    lapsed first."""
    today = timezone.localdate()
    start = date_from or today.replace(day=1)
    end = date_to or _add_months(start, 12)
    checks = DBSCheck.objects.filter(
        application__in=selectors.applications_in_figures_of(user),
        application__stage=Stage.ACTIVE,
    ).values_list("renewal_due_on", "update_service")
    by_month: dict[date | None, Counter] = defaultdict(Counter)
    for due, subscribed in checks:
        if due < today:
            month = None  # lapsed
        elif start <= due <= end:
            month = due.replace(day=1)
        else:
            continue
        by_month[month]["on" if subscribed else "off"] += 1
    months = sorted(month for month in by_month if month is not None)
    rows = [
        {
            "month": "Lapsed already" if month is None else month.strftime("%B %Y"),
            "renewals": by_month[month]["on"] + by_month[month]["off"],
            "on_update_service": by_month[month]["on"],
            "not_on_update_service": by_month[month]["off"],
        }
        for month in ([None] if None in by_month else []) + months
    ]
    if not rows:
        return rows
    keys = ("renewals", "on_update_service", "not_on_update_service")
    return [*rows, {"month": TOTAL, **{key: sum(row[key] for row in rows) for key in keys}}]


EQUALITY_QUESTIONS = [
    ("age_band", "Age"),
    ("gender", "Gender"),
    ("ethnicity", "Ethnic group"),
    ("disability", "Disability"),
    ("sexual_orientation", "Sexual orientation"),
]
NOT_ANSWERED = "Not answered"
OTHER = "Other answers (each given by fewer than 5)"


def equality_answers(date_from=None, date_to=None, user=None) -> list[dict]:
    """The optional equality answers, counted: for each question, each answer and then all
    the forms. Typed answers (gender, ethnic group, sexual orientation) that fewer than 5
    people gave are counted together as "other", so no one's own words are shown. The
    answers are linked to no one: a coordinator's are those given in their localities."""
    from portal.reports.suppression import THRESHOLD

    answers = EqualityMonitoring.objects.all()
    if date_from:
        answers = answers.filter(month__gte=date_from.replace(day=1))
    if date_to:
        answers = answers.filter(month__lte=date_to)
    if not scope.sees_all_figures(user):
        if not user.has_perm(selectors.VIEW_PERMISSION):  # staff who see no applications
            return []
        answers = answers.filter(locality__in=scope.locality_ids(user))
    values = list(answers.values(*(key for key, _ in EQUALITY_QUESTIONS)))
    if not values:
        return []
    rows = []
    for key, question in EQUALITY_QUESTIONS:
        choices = dict(EqualityMonitoring._meta.get_field(key).choices or ())
        counts: Counter = Counter()
        for answer in values:
            text = " ".join(answer[key].split())
            counts[choices.get(text, text.capitalize()) if text else NOT_ANSWERED] += 1
        if not choices:
            rare = [label for label, n in counts.items() if n < THRESHOLD and label != NOT_ANSWERED]
            for label in rare:
                counts[OTHER] += counts.pop(label)
        for label in sorted(counts, key=lambda label: (label in (OTHER, NOT_ANSWERED), label)):
            rows.append({"question": question, "answer": label, "people": counts[label]})
        rows.append({"question": question, "answer": "All forms", "people": len(values)})
    return rows
