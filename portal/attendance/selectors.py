"""Reads of registers that are reused: the register's rows, completion, a person's certificates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count
from django.utils import timezone

from portal.attendance.models import ATTENDED, AttendanceMark, FeedbackResponse
from portal.attendance.registry import ExpectedPerson, RegisterSource, name_order, sources


@dataclass(frozen=True)
class RegisterRow:
    entry: ExpectedPerson
    mark: AttendanceMark | None

    @property
    def status(self) -> str:
        return self.mark.status if self.mark else ""


def register_rows(source: RegisterSource, occurrence) -> list[RegisterRow]:
    """Everyone expected, in name order (natural: see `name_order`), then anyone marked who
    is no longer expected (they cancelled after being marked), each with their mark if any."""
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
            ExpectedPerson(people[pk], str(people[pk]), "No longer booked")
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


@dataclass(frozen=True)
class Completion:
    attended: int
    total: int
    required_share: Decimal

    @property
    def share(self) -> Decimal:
        return Decimal(self.attended) / self.total if self.total else Decimal(0)

    @property
    def completed(self) -> bool:
        return self.total > 0 and self.share >= self.required_share


def completion(source: RegisterSource, occurrence, person) -> Completion:
    """How much of the series `occurrence` belongs to this person attended (present or late
    both count), against the source's rule (e.g. 75% of a programme's weeks)."""
    series = source.series(occurrence)
    attended = AttendanceMark.objects.filter(
        occurrence_type=source.occurrence_type(),
        occurrence_id__in=series.values("pk"),
        person_type=source.person_type(),
        person_id=person.pk,
        status__in=ATTENDED,
    ).count()
    return Completion(attended, series.count(), source.completion_share)


@dataclass(frozen=True)
class CertificateEntry:
    mark: AttendanceMark
    title: str
    held_on: datetime


def certificates_of(user) -> list[CertificateEntry]:
    """Occurrences this user attended that have ended and give a certificate."""
    now = timezone.now()
    entries: list[CertificateEntry] = []
    for source in sources():
        if not source.gives_certificates:
            continue
        marks = list(
            AttendanceMark.objects.filter(
                occurrence_type=source.occurrence_type(),
                person_type=source.person_type(),
                person_id__in=source.people_of(user).values("pk"),
                status__in=ATTENDED,
            )
        )
        occurrences = (
            source.queryset()
            .filter(**{f"{source.ends_at_field}__lte": now})
            .in_bulk([m.occurrence_id for m in marks])
        )
        entries += [
            CertificateEntry(
                m,
                source.title(occurrences[m.occurrence_id]),
                timezone.localtime(source.starts_at(occurrences[m.occurrence_id])),
            )
            for m in marks
            if m.occurrence_id in occurrences
        ]
    return sorted(entries, key=lambda e: e.held_on, reverse=True)
