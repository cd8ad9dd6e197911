"""Every write of outcome responses: recording answers (by staff from paper, or by the
person), and the retention and erasure hooks the subject's app calls."""

from __future__ import annotations

import json
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from portal import audit
from portal.outcomes.measures import DECLINED, measure
from portal.outcomes.models import EnteredBy, Occasion, Response
from portal.outcomes.registry import subject_for


class AnswersError(ValueError):
    """Answers that cannot be recorded, with a message for the person."""


def _responses_of(subject: models.Model) -> models.QuerySet:
    # By content type alone: retention and erasure need no registered screens.
    return Response.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    )


def _checked(measure_key: str, answers: dict[str, int]) -> str:
    """The answers as stored (JSON), every item answered with a value on the scale."""
    definition = measure(measure_key)
    allowed = {value for value, _ in definition.choices} | {DECLINED}
    keys = {item.key for item in definition.items}
    if set(answers) != keys or any(answers[key] not in allowed for key in keys):
        raise AnswersError(f"Answer every question of “{definition.title}”.")
    return json.dumps({item.key: answers[item.key] for item in definition.items})


@transaction.atomic
def record_answers(
    subject: models.Model,
    occasion: str,
    answers: dict[str, dict[str, int]],
    *,
    by,
    entered_by: str,
    answered_on: date | None = None,
) -> list[Response]:
    """Record (or correct) the answers to each measure given (measure key -> item key ->
    1..5 or DECLINED) for this occasion: one response per measure, its change audited."""
    source = subject_for(subject)
    if occasion not in Occasion.values or entered_by not in EnteredBy.values:
        raise AnswersError("Unknown occasion.")
    if not source.may_answer(subject, occasion):
        raise AnswersError("These questions cannot be answered now.")
    answered_on = answered_on or timezone.localdate()
    if answered_on > timezone.localdate():
        raise AnswersError("The date they answered cannot be in the future.")
    stored = {key: _checked(key, given) for key, given in answers.items()}
    # The subject's row is locked first, so that two people saving the same questions at
    # once (the person and staff) take turns: the second corrects what the first created.
    list(type(subject).objects.select_for_update().filter(pk=subject.pk).values_list("pk"))
    existing = {
        r.measure: r for r in _responses_of(subject).filter(occasion=occasion, measure__in=stored)
    }
    user = by if getattr(by, "is_authenticated", False) else None
    saved = []
    for key, text in stored.items():
        response = existing.get(key)
        if response is None:
            response = Response.objects.create(
                subject_type=source.subject_type(),
                subject_id=subject.pk,
                measure=key,
                occasion=occasion,
                entered_by=entered_by,
                recorded_by=user,
                answered_on=answered_on,
                answers=text,
            )
            action = audit.Action.CREATE
        else:
            response.answers = text
            response.entered_by = entered_by
            response.recorded_by = user
            response.answered_on = answered_on
            response.updated_at = timezone.now()
            response.save()
            action = audit.Action.CHANGE
        audit.record(by, action, response, measure=key, occasion=occasion, entered_by=entered_by)
        saved.append(response)
    return saved


@transaction.atomic
def anonymise_for(subject: models.Model) -> int:
    """After the retention period: keep each response's score (so reports still count the
    change) but drop the item answers and who entered them. Idempotent; returns how many
    responses were anonymised now."""
    responses = list(_responses_of(subject).filter(anonymised_at__isnull=True).select_for_update())
    now = timezone.now()
    for response in responses:
        score = response.score
        response.answers = json.dumps({"score": None if score is None else str(score)})
        response.recorded_by = None
        response.anonymised_at = now
        response.updated_at = now
        response.save(update_fields=["answers", "recorded_by", "anonymised_at", "updated_at"])
    return len(responses)


@transaction.atomic
def erase_for(subject: models.Model, *, by=None) -> int:
    """Erasure (a person's request): delete every response about the subject, audited
    without their content. Returns how many were deleted."""
    responses = list(_responses_of(subject))
    for response in responses:
        audit.record(by, audit.Action.ERASE, response, measure=response.measure)
    return _responses_of(subject).delete()[0]
