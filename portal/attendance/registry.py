"""Register sources: how each app's occurrences are taken on the one register screen.

An app describes its occurrence type in its own `registers.py` by subclassing
`RegisterSource` and calling `register()`; the attendance app discovers those modules when
Django starts (`autodiscover_modules("registers")`).

Series: what a person completes. By default each occurrence is a series of one (a course
session). A source whose occurrences come in series (a programme cohort's weeks, a
volunteer's shifts) sets `series_model` and implements `series_of()` and
`series_occurrences()`; `is_cancelled()` and `topics()` tell the rule which occurrences count
and what they covered, and `completion_rule()` chooses the rule (see
portal.attendance.completion). `certificate_per = "series"` gives one certificate for the
whole series (from `series_certificate()`) instead of one per occurrence, and
`records_duration` lets the register record time given (volunteer hours), by default the
occurrence's length (`default_duration()`). `wording` holds the register's messages, with no
course words unless the source sets them (courses do).

Lock order (the attendance service): the series row, then the occurrence row.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404

from portal import notify
from portal.attendance.completion import CompletionRule, SeriesOccurrence, ShareOfOccurrences


@dataclass(frozen=True)
class ExpectedPerson:
    person: models.Model
    name: str
    detail: str = ""
    # What the person told us they need to take part (access, diet): shown on the register.
    needs: str = ""


_DIGITS = re.compile(r"(\d+)")


def name_order(name: str) -> list:
    """The sort key for people's names on a register, in natural order: case and accents
    aside ("émile" beside "Emma"), numbers by value ("Group 2" before "Group 10"). Names are
    encrypted, so registers sort them in Python with this, never in the database."""
    plain = "".join(
        char
        for char in unicodedata.normalize("NFKD", name.strip())
        if not unicodedata.combining(char)
    ).casefold()
    # re.split with a group alternates text and digits, so each position compares like with like.
    return [int(part) if i % 2 else part for i, part in enumerate(_DIGITS.split(plain))]


@dataclass(frozen=True)
class CertificateDetails:
    name: str
    title: str
    held_on: date
    cpd_hours: Decimal | None = None
    provider: str = ""
    # A certificate for a whole series: "completed" the title, from held_on to held_until.
    held_until: date | None = None
    hours: Decimal | None = None


@dataclass(frozen=True)
class RegisterWording:
    """What the register screen and its refusals say, so that a source can use its own words
    (the defaults name no course: a survivor's programme or a volunteer's shift uses them)."""

    nobody_expected: str = "No one is expected at this yet."
    no_longer_expected: str = "No longer expected"
    not_theirs: str = "Only the people who run this may take its register."
    occurrence: str = "session"


class RegisterSource:
    """What the register needs to know about one type of occurrence."""

    model: type[models.Model]  # the occurrence, e.g. courses.Session
    person_model: type[models.Model]  # who is marked, e.g. courses.Attendee
    label = "Occurrence"
    starts_at_field = "starts_at"
    ends_at_field = "ends_at"
    sends_feedback = True
    gives_certificates = False
    # "occurrence": a certificate of attendance per occurrence attended; "series": one
    # certificate of completion per series completed, once its last occurrence has ended.
    certificate_per = "occurrence"
    # Whether marks record the time given (volunteer hours), editable on the register.
    records_duration = False
    wording = RegisterWording()

    @property
    def series_model(self) -> type[models.Model]:
        """The model of what a person completes (a cohort); by default the occurrence's."""
        return self.model

    @property
    def key(self) -> str:
        return self.model._meta.label_lower

    def occurrence_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.model)

    def person_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.person_model)

    def queryset(self) -> models.QuerySet:
        """Occurrences with what `title()` needs already joined."""
        return self.model.objects.all()

    def people(self) -> models.QuerySet:
        """Person rows with what `recipient()` needs already joined."""
        return self.person_model.objects.all()

    def title(self, occurrence) -> str:
        return str(occurrence)

    def starts_at(self, occurrence) -> datetime:
        return getattr(occurrence, self.starts_at_field)

    def ends_at(self, occurrence) -> datetime:
        return getattr(occurrence, self.ends_at_field)

    def place(self, occurrence) -> str:
        """Where it is held, on one line, for the register's heading ("Online" or a venue)."""
        return ""

    def expected(self, occurrence) -> list[ExpectedPerson]:
        raise NotImplementedError

    def expected_counts(self, occurrence_ids: list[int]) -> dict[int, int]:
        raise NotImplementedError

    def takes_registers(self, user) -> bool:
        """Whether this person takes registers of this type at all (shows the menu item)."""
        raise NotImplementedError

    def may_take(self, user, occurrence) -> bool:
        """Whether the occurrence is in `occurrences_for(user)`: ask the same selector."""
        raise NotImplementedError

    def occurrences_for(self, user) -> models.QuerySet:
        """The occurrences whose register this person may take: the app's one staff-scope
        selector for its kind (built with `portal.scope.visible`), never a rule of its own."""
        raise NotImplementedError

    def series_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.series_model)

    def series_of(self, occurrence) -> models.Model:
        """The series this occurrence belongs to (by default itself: a series of one)."""
        return occurrence

    def series_occurrences(self, series) -> models.QuerySet:
        """Every occurrence of the series, cancelled and future ones included."""
        return self.model.objects.filter(pk=series.pk)

    def is_cancelled(self, occurrence) -> bool:
        """A cancelled occurrence is not counted for completion."""
        return False

    def topics(self, occurrence) -> frozenset[str]:
        """What the occurrence covered, for a `TopicsCovered` rule."""
        return frozenset()

    def completion_rule(self, series) -> CompletionRule:
        """How the series is completed: by default, every occurrence held attended."""
        return ShareOfOccurrences(Decimal(1))

    def as_series_occurrence(self, occurrence) -> SeriesOccurrence:
        return SeriesOccurrence(
            pk=occurrence.pk,
            starts_at=self.starts_at(occurrence),
            cancelled=self.is_cancelled(occurrence),
            topics=self.topics(occurrence),
        )

    def default_duration(self, occurrence, person_id: int) -> timedelta | None:
        """The time recorded for someone there when the register gives none (sources that
        `records_duration`): by default the occurrence's length."""
        return self.ends_at(occurrence) - self.starts_at(occurrence)

    def series_title(self, series) -> str:
        return str(series)

    def recipient(self, person) -> notify.Recipient:
        raise NotImplementedError

    def people_of(self, user) -> models.QuerySet:
        """The person rows that are this signed-in user (for "My account")."""
        raise NotImplementedError

    def certificate(self, occurrence, person) -> CertificateDetails | None:
        """A certificate of attendance (`certificate_per = "occurrence"`)."""
        return None

    def series_certificate(self, series, person, completion) -> CertificateDetails | None:
        """A certificate of completion (`certificate_per = "series"`); `completion` is the
        person's stored SeriesCompletion."""
        return None


_sources: dict[str, RegisterSource] = {}


def register(source: RegisterSource) -> RegisterSource:
    _sources[source.key] = source
    return source


def sources() -> list[RegisterSource]:
    return list(_sources.values())


def source_by_key(key: str) -> RegisterSource:
    try:
        return _sources[key]
    except KeyError:
        raise Http404("No register of that kind.") from None


def source_for_type(occurrence_type_id: int) -> RegisterSource | None:
    model = ContentType.objects.get_for_id(occurrence_type_id).model_class()
    return _sources.get(model._meta.label_lower) if model else None


def source_for_series_type(series_type_id: int) -> RegisterSource | None:
    model = ContentType.objects.get_for_id(series_type_id).model_class()
    return next((s for s in _sources.values() if s.series_model is model), None)


def source_for(occurrence: models.Model) -> RegisterSource:
    try:
        return _sources[occurrence._meta.label_lower]
    except KeyError:
        raise LookupError(f"{occurrence._meta.label} has no register source") from None
