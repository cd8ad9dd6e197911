"""Reads of registers that are reused: the register's rows, stored completion (one person's,
or in bulk for reports), a person's certificates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Avg, Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from portal.attendance import completion
from portal.attendance.models import ATTENDED, AttendanceMark, FeedbackResponse, SeriesCompletion
from portal.attendance.registry import (
    ExpectedPerson,
    RegisterSource,
    name_order,
    source_for,
    sources,
)


def marks_of(occurrence: models.Model) -> models.QuerySet[AttendanceMark]:
    source = source_for(occurrence)
    return AttendanceMark.objects.filter(
        occurrence_type=source.occurrence_type(), occurrence_id=occurrence.pk
    )


def hours(duration: timedelta | None) -> Decimal:
    """A duration as hours, to the hundredth (2h30m is 2.5)."""
    if not duration:
        return Decimal(0)
    return (Decimal(duration.total_seconds()) / 3600).quantize(Decimal("0.01")).normalize()


@dataclass(frozen=True)
class RegisterRow:
    entry: ExpectedPerson
    mark: AttendanceMark | None
    # Their stored progress through the series, on registers of series of more than one.
    progress: SeriesCompletion | None = None

    @property
    def status(self) -> str:
        return self.mark.status if self.mark else ""

    @property
    def hours(self) -> Decimal | None:
        return hours(self.mark.duration) if self.mark and self.mark.duration else None


def register_rows(source: RegisterSource, occurrence) -> list[RegisterRow]:
    """Everyone expected, in name order (natural: see `name_order`), then anyone marked who
    is no longer expected (they cancelled after being marked), each with their mark if any
    and, where the occurrence is one of a series of several, their progress through it."""
    rows = _rows(source, occurrence)
    if source.series_model is source.model:
        return rows
    series = source.series_of(occurrence)
    progress = {
        row.person_id: row
        for row in completions(source, [series.pk]).filter(
            person_id__in=[row.entry.person.pk for row in rows]
        )
    }
    return [RegisterRow(row.entry, row.mark, progress.get(row.entry.person.pk)) for row in rows]


def _rows(source: RegisterSource, occurrence) -> list[RegisterRow]:
    marks = {
        m.person_id: m
        for m in AttendanceMark.objects.filter(
            occurrence_type=source.occurrence_type(), occurrence_id=occurrence.pk
        )
    }
    expected = sorted(source.expected(occurrence), key=lambda entry: name_order(entry.name))
    rows = [RegisterRow(entry, marks.pop(entry.person.pk, None)) for entry in expected]
    if marks:
        people = source.person_model.objects.in_bulk(list(marks))
        gone = [
            ExpectedPerson(people[pk], str(people[pk]), source.wording.no_longer_expected)
            for pk in marks
            if pk in people
        ]
        rows += [
            RegisterRow(entry, marks[entry.person.pk])
            for entry in sorted(gone, key=lambda entry: name_order(entry.name))
        ]
    return rows


def mark_counts(source: RegisterSource, occurrence_ids: list[int]) -> dict[int, int]:
    rows = (
        AttendanceMark.objects.filter(
            occurrence_type=source.occurrence_type(), occurrence_id__in=occurrence_ids
        )
        .values("occurrence_id")
        .annotate(n=Count("pk"))
    )
    return {row["occurrence_id"]: row["n"] for row in rows}


@dataclass(frozen=True)
class FeedbackSummary:
    occurrence: object
    title: str
    starts_at: datetime
    responses: int
    average: Decimal


def feedback_summaries(source: RegisterSource, user) -> list[FeedbackSummary]:
    """The occurrences this member of staff may see (the source's scope, e.g. courses'
    `sessions_visible_to`) that have feedback: how many responded and the average rating,
    newest first, in two queries."""
    rows = (
        FeedbackResponse.objects.filter(
            occurrence_type=source.occurrence_type(),
            occurrence_id__in=source.occurrences_for(user).values("pk"),
        )
        .values("occurrence_id")
        .annotate(n=Count("pk"), average=Avg("rating"))
        .order_by()
    )
    totals = {row["occurrence_id"]: row for row in rows}
    occurrences = source.queryset().in_bulk(list(totals))
    summaries = [
        FeedbackSummary(
            occurrence,
            source.title(occurrence),
            timezone.localtime(source.starts_at(occurrence)),
            totals[pk]["n"],
            one_decimal(totals[pk]["average"]),
        )
        for pk, occurrence in occurrences.items()
    ]
    return sorted(summaries, key=lambda summary: summary.starts_at, reverse=True)


def one_decimal(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"), ROUND_HALF_UP)


def feedback_of(source: RegisterSource, occurrence) -> list[FeedbackResponse]:
    return list(
        FeedbackResponse.objects.filter(
            occurrence_type=source.occurrence_type(), occurrence_id=occurrence.pk
        ).order_by("-submitted_at", "pk")
    )


def completions(
    source: RegisterSource,
    series_ids: Iterable[int] | None = None,
    *,
    completed: bool | None = None,
) -> models.QuerySet[SeriesCompletion]:
    """Stored completion rows of this source's series (all, or of `series_ids`), for reports:
    filter, annotate or aggregate them in the database; `completion_totals` counts them."""
    rows = SeriesCompletion.objects.filter(
        series_type=source.series_type(), person_type=source.person_type()
    )
    if series_ids is not None:
        rows = rows.filter(series_id__in=list(series_ids))
    if completed is not None:
        rows = rows.filter(completed=completed)
    return rows


@dataclass(frozen=True)
class CompletionTotals:
    people: int
    completed: int
    duration: timedelta

    @property
    def hours(self) -> Decimal:
        return hours(self.duration)


def completion_totals(
    source: RegisterSource, series_ids: Iterable[int]
) -> dict[int, CompletionTotals]:
    """series pk -> how many people have a mark in it, how many completed it and the time
    recorded, in one query (reports: completions by cohort, volunteer hours by role)."""
    rows = (
        completions(source, series_ids)
        .values("series_id")
        .annotate(
            people=Count("pk"),
            done=Count("pk", filter=Q(completed=True)),
            time=Sum("duration"),
        )
        .order_by()
    )
    return {
        row["series_id"]: CompletionTotals(row["people"], row["done"], row["time"] or timedelta())
        for row in rows
    }


def time_recorded(source: RegisterSource, person_ids: Iterable[int]) -> dict[int, timedelta]:
    """person pk -> the time recorded on their marks of this source, every series together
    (a volunteer's hours), in one query."""
    rows = (
        AttendanceMark.objects.filter(
            occurrence_type=source.occurrence_type(),
            person_type=source.person_type(),
            person_id__in=list(person_ids),
            duration__isnull=False,
        )
        .values("person_id")
        .annotate(time=Sum("duration"))
        .order_by()
    )
    return {row["person_id"]: row["time"] for row in rows}


def completion_of(source: RegisterSource, series, person) -> SeriesCompletion | None:
    """One person's stored progress through one series (None: never marked in it)."""
    return completions(source, [series.pk]).filter(person_id=person.pk).first()


def topics_left_of(
    source: RegisterSource, series, person_ids: Iterable[int]
) -> dict[int, frozenset[str]]:
    """person pk -> the topics they have yet to cover in `series`, under a topics rule (an
    empty dict under any other rule), from the register in two queries, by the same rule
    and counting as the stored completion (`completion.topics_left`)."""
    rule = source.completion_rule(series)
    if not isinstance(rule, completion.TopicsCovered):
        return {}
    occurrences = [source.as_series_occurrence(o) for o in source.series_occurrences(series)]
    person_ids = list(person_ids)
    attended: dict[int, list[completion.AttendedMark]] = {pk: [] for pk in person_ids}
    marks = AttendanceMark.objects.filter(
        occurrence_type=source.occurrence_type(),
        occurrence_id__in=[o.pk for o in occurrences],
        person_type=source.person_type(),
        person_id__in=person_ids,
        status__in=ATTENDED,
    ).values_list("person_id", "occurrence_id")
    for person_id, occurrence_id in marks:
        attended[person_id].append(completion.AttendedMark(occurrence_id))
    now = timezone.now()
    return {
        pk: completion.topics_left(rule, occurrences, person_marks, now)
        for pk, person_marks in attended.items()
    }


def series_ended_at(source: RegisterSource, series) -> datetime | None:
    """When the series ended (its last occurrence not cancelled), or None while one of them
    has yet to end (or none was held)."""
    now = timezone.now()
    ends = [
        source.ends_at(o) for o in source.series_occurrences(series) if not source.is_cancelled(o)
    ]
    return max(ends) if ends and max(ends) <= now else None


def certificate_due_at(source: RegisterSource, series, row: SeriesCompletion) -> datetime | None:
    """When the series a person completed ended, if their certificate is due: the series has
    ended and their stored completion counted every occurrence held (so it was computed after
    the last one's register was taken); None otherwise."""
    ended_at = series_ended_at(source, series)
    if ended_at is None or not row.completed:
        return None
    held = sum(1 for o in source.series_occurrences(series) if not source.is_cancelled(o))
    return ended_at if row.held == held else None


@dataclass(frozen=True)
class CertificateEntry:
    url: str
    title: str
    held_on: datetime


def certificates_of(user) -> list[CertificateEntry]:
    """This user's certificates: of attendance for occurrences attended that have ended, of
    completion for series completed whose every occurrence has ended; newest first."""
    entries: list[CertificateEntry] = []
    for source in sources():
        if not source.gives_certificates:
            continue
        people = source.people_of(user).values("pk")
        if source.certificate_per == "series":
            entries += _series_certificates(source, people)
        else:
            entries += _occurrence_certificates(source, people)
    return sorted(entries, key=lambda e: e.held_on, reverse=True)


def _occurrence_certificates(source: RegisterSource, people) -> list[CertificateEntry]:
    marks = list(
        AttendanceMark.objects.filter(
            occurrence_type=source.occurrence_type(),
            person_type=source.person_type(),
            person_id__in=people,
            status__in=ATTENDED,
        )
    )
    occurrences = (
        source.queryset()
        .filter(**{f"{source.ends_at_field}__lte": timezone.now()})
        .in_bulk([m.occurrence_id for m in marks])
    )
    return [
        CertificateEntry(
            reverse("attendance:my_certificate", args=[m.pk]),
            source.title(occurrences[m.occurrence_id]),
            timezone.localtime(source.starts_at(occurrences[m.occurrence_id])),
        )
        for m in marks
        if m.occurrence_id in occurrences
    ]


def _series_certificates(source: RegisterSource, people) -> list[CertificateEntry]:
    rows = list(completions(source, completed=True).filter(person_id__in=people))
    series = source.series_model.objects.in_bulk([row.series_id for row in rows])
    entries = []
    for row in rows:
        one = series.get(row.series_id)
        ended_at = certificate_due_at(source, one, row) if one else None
        if ended_at is None:
            continue
        entries.append(
            CertificateEntry(
                reverse("attendance:my_series_certificate", args=[row.pk]),
                source.series_title(one),
                timezone.localtime(ended_at),
            )
        )
    return entries
