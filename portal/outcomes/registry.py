"""Subjects: what an app's outcome responses are about (a programme enrolment).

An app describes its subject model by subclassing `OutcomeSubject` and calling
`register_subject()` in its `ready()`. The engine stores responses keyed generically
(content type + id, as registers are), and asks the registered subject everything that
depends on the app: who may see it (staff scope), which signed-in person it is, when each
occasion may be answered, and how it is grouped in reports.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404


class OutcomeSubject:
    model: type[models.Model]  # e.g. programmes.Enrolment
    # (key, heading) of the values `groups()` gives each subject, in report order.
    group_columns: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> str:
        return self.model._meta.label_lower

    def subject_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.model)

    def title(self, subject) -> str:
        """A heading for the staff screen (e.g. the programme and cohort; not a name)."""
        return str(subject)

    def person_name(self, subject) -> str:
        """Whose answers these are, on the staff screen (decrypted by the app)."""
        return ""

    def visible_to(self, user) -> models.QuerySet:
        """The subjects whose answers this member of staff may enter and read: the app's one
        staff-scope selector for its kind (built with `portal.scope.visible`)."""
        raise NotImplementedError

    def people_of(self, user) -> models.QuerySet:
        """The subjects that are this signed-in person (their own page)."""
        raise NotImplementedError

    def may_answer(self, subject, occasion: str) -> bool:
        """Whether this occasion may be answered now (start from enrolment; end once they
        have completed or left). Anything else is a 404."""
        return True

    def own_page_url(self, subject) -> str:
        """Where the person goes back to after answering."""
        return "/accounts/profile/"

    def groups(self, subjects: models.QuerySet) -> dict[int, tuple]:
        """subject pk -> its values for `group_columns` (labels, not ids), in one or two
        queries for the whole queryset."""
        raise NotImplementedError


_subjects: dict[str, OutcomeSubject] = {}


def register_subject(subject: OutcomeSubject) -> OutcomeSubject:
    _subjects[subject.key] = subject
    return subject


def subject_by_key(key: str) -> OutcomeSubject:
    try:
        return _subjects[key]
    except KeyError:
        raise Http404("No such answers.") from None


def subject_for(obj: models.Model) -> OutcomeSubject:
    try:
        return _subjects[obj._meta.label_lower]
    except KeyError:
        raise LookupError(f"{obj._meta.label} is not an outcome subject") from None
