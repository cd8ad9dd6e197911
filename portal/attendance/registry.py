"""Register sources: how each app's occurrences are taken on the one register screen.

An app describes its occurrence type in its own `registers.py` by subclassing
`RegisterSource` and calling `register()`; the attendance app discovers those modules when
Django starts (`autodiscover_modules("registers")`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404

from portal import notify


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


class RegisterSource:
    """What the register needs to know about one type of occurrence."""

    model: type[models.Model]  # the occurrence, e.g. courses.Session
    person_model: type[models.Model]  # who is marked, e.g. courses.Attendee
    label = "Occurrence"
    starts_at_field = "starts_at"
    ends_at_field = "ends_at"
    # The share of the series a person must attend to complete it (a course: its one session).
    completion_share = Decimal(1)
    sends_feedback = True
    gives_certificates = False

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

    def series(self, occurrence) -> models.QuerySet:
        """The occurrences that together count for completion (a programme's weeks)."""
        return self.model.objects.filter(pk=occurrence.pk)

    def recipient(self, person) -> notify.Recipient:
        raise NotImplementedError

    def people_of(self, user) -> models.QuerySet:
        """The person rows that are this signed-in user (for "My account")."""
        raise NotImplementedError

    def certificate(self, occurrence, person) -> CertificateDetails | None:
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


def source_for(occurrence: models.Model) -> RegisterSource:
    try:
        return _sources[occurrence._meta.label_lower]
    except KeyError:
        raise LookupError(f"{occurrence._meta.label} has no register source") from None
