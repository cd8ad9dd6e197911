"""Taking registers: every write to marks, and the stored completion it changes, in one
transaction. Lock order: the series row, then the occurrence row (for a series of one, the
same row once)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone

from portal import audit
from portal.attendance import completion
from portal.attendance.models import (
    ATTENDED,
    MAX_DURATION,
    AttendanceMark,
    AttendanceStatus,
    SeriesCompletion,
)
from portal.attendance.registry import RegisterSource, source_for, sources
from portal.attendance.selectors import hours, marks_of
from portal.attendance.signals import completion_changed


class RegisterError(Exception):
    """A register change the service refuses; the message is fit to show."""


def _check_may_take(source: RegisterSource, user, occurrence) -> None:
    if not source.may_take(user, occurrence):
        raise PermissionDenied(source.wording.not_theirs)


def not_started_message(source: RegisterSource, occurrence) -> str:
    """Why the register cannot be taken yet, or "" once the occurrence has started."""
    starts_at = source.starts_at(occurrence)
    if starts_at <= timezone.now():
        return ""
    local = timezone.localtime(starts_at)
    return (
        f"This register can be taken once it starts, at {local:%H:%M} on {local:%A %-d %B %Y}. "
        "Until then you can open it to see who is coming and what they need."
    )


def _check_started(source: RegisterSource, occurrence) -> None:
    # Checked on the locked row, so an occurrence moved later or cancelled meanwhile is
    # refused too.
    if source.is_cancelled(occurrence):
        raise RegisterError(f"This {source.wording.occurrence} was cancelled: no register.")
    if message := not_started_message(source, occurrence):
        raise RegisterError(message)


def _lock(source: RegisterSource, occurrence) -> tuple[models.Model, models.Model]:
    """Lock the series, then the occurrence: two registers of one series saved at once
    recompute its completion one after the other, each seeing the other's marks."""
    series = source.series_of(occurrence)
    series = source.series_model.objects.select_for_update().get(pk=series.pk)
    if source.series_model is source.model and series.pk == occurrence.pk:
        return series, series
    return series, source.model.objects.select_for_update().get(pk=occurrence.pk)


@transaction.atomic
def take_register(
    occurrence: models.Model,
    statuses: Mapping[int, str],
    *,
    by,
    durations: Mapping[int, timedelta] | None = None,
) -> int:
    """Record each person's status (person pk -> status), and for a source that records
    time, the time each person there gave (person pk -> duration; none given: the source's
    default); returns how many marks changed, and recomputes the series' completion.
    Refused (RegisterError) before the occurrence starts: it may be opened, not taken.

    The rows are locked so that two people saving the same register at once cannot both
    create a person's mark.
    """
    source = source_for(occurrence)
    _check_may_take(source, by, occurrence)
    series, occurrence = _lock(source, occurrence)
    _check_started(source, occurrence)
    durations = durations or {}
    if durations and not source.records_duration:
        raise RegisterError("This register does not record time.")
    if set(durations) - set(statuses):
        raise RegisterError("Time can be recorded only for someone marked present or late.")
    expected = {entry.person.pk for entry in source.expected(occurrence)}
    existing = {mark.person_id: mark for mark in marks_of(occurrence)}
    changed = 0
    for person_id, status in statuses.items():
        if status not in AttendanceStatus.values:
            raise RegisterError(f"“{status}” is not a register status.")
        if person_id not in expected and person_id not in existing:
            raise RegisterError("That person is not on this register.")
        duration = _duration(source, occurrence, person_id, status, durations.get(person_id))
        changed += _set_mark(
            source, occurrence, person_id, existing.get(person_id), status, duration, by
        )
    if changed:
        _recompute(source, series)
    _after_marking(source, occurrence)
    return changed


def mark(
    occurrence: models.Model,
    person: models.Model,
    status: str,
    *,
    by,
    duration: timedelta | None = None,
) -> AttendanceMark:
    take_register(
        occurrence,
        {person.pk: status},
        by=by,
        durations={person.pk: duration} if duration is not None else None,
    )
    return marks_of(occurrence).get(person_id=person.pk)


@transaction.atomic
def mark_all_present(occurrence: models.Model, *, by) -> int:
    """Mark everyone expected who has no mark yet as present; marks already given stay."""
    source = source_for(occurrence)
    _check_may_take(source, by, occurrence)
    series, occurrence = _lock(source, occurrence)
    _check_started(source, occurrence)
    marked = set(marks_of(occurrence).values_list("person_id", flat=True))
    changed = 0
    for entry in source.expected(occurrence):
        if entry.person.pk not in marked:
            present = AttendanceStatus.PRESENT
            duration = _duration(source, occurrence, entry.person.pk, present, None)
            changed += _set_mark(source, occurrence, entry.person.pk, None, present, duration, by)
    if changed:
        _recompute(source, series)
    _after_marking(source, occurrence)
    return changed


def _duration(source, occurrence, person_id: int, status: str, given) -> timedelta | None:
    if status not in ATTENDED:
        if given is not None:
            raise RegisterError("Time can be recorded only for someone marked present or late.")
        return None
    if not source.records_duration:
        return None
    if given is None:
        return source.default_duration(occurrence, person_id)
    if not timedelta(0) < given <= MAX_DURATION:
        raise RegisterError("Hours must be more than 0 and no more than 24.")
    return given


def _set_mark(source, occurrence, person_id: int, existing, status: str, duration, by) -> int:
    detail = {"status": status}
    if duration is not None:
        detail["hours"] = str(hours(duration))
    if existing is None:
        mark = AttendanceMark.objects.create(
            occurrence_type=source.occurrence_type(),
            occurrence_id=occurrence.pk,
            person_type=source.person_type(),
            person_id=person_id,
            status=status,
            duration=duration,
            marked_by=by,
        )
        audit.record(by, audit.Action.CREATE, mark, **detail)
        return 1
    if existing.status == status and existing.duration == duration:
        return 0
    previous = existing.status
    existing.status = status
    existing.duration = duration
    existing.marked_by = by
    existing.marked_at = timezone.now()
    existing.save(update_fields=["status", "duration", "marked_by", "marked_at"])
    audit.record(by, audit.Action.CHANGE, existing, **detail, previous=previous)
    return 1


def _after_marking(source: RegisterSource, occurrence) -> None:
    from portal.attendance.services.feedback import request_feedback

    if source.sends_feedback and source.ends_at(occurrence) <= timezone.now():
        request_feedback(source, occurrence)


@transaction.atomic
def recompute_completion(occurrence: models.Model) -> int:
    """Recompute the stored completion of the series `occurrence` belongs to. Marking does
    this by itself; an app calls it when it cancels, adds or moves an occurrence of a series
    (the occurrences counted change). Returns how many people's completion changed."""
    source = source_for(occurrence)
    series, _ = _lock(source, occurrence)
    return _recompute(source, series)


def recompute_every_series() -> int:
    """Recompute the stored completion of every series with a mark, one transaction per
    series (`manage.py recompute_completions`: after an upgrade that adds a source's rule,
    or marks from before completion was stored). Returns how many people's changed."""
    changed = 0
    for source in sources():
        occurrence_ids = (
            AttendanceMark.objects.filter(occurrence_type=source.occurrence_type())
            .values_list("occurrence_id", flat=True)
            .distinct()
        )
        done: set[int] = set()
        for occurrence in source.queryset().filter(pk__in=list(occurrence_ids)):
            series = source.series_of(occurrence)
            if series.pk not in done:
                done.add(series.pk)
                changed += recompute_completion(occurrence)
    return changed


def _recompute(source: RegisterSource, series) -> int:
    """Store every marked person's progress through `series` (inside the caller's
    transaction, with the series row locked): occurrences held so far, those attended, the
    time recorded, and whether the source's rule is met."""
    now = timezone.now()
    occurrences = [source.as_series_occurrence(o) for o in source.series_occurrences(series)]
    rule = source.completion_rule(series)
    attended: dict[int, list[completion.AttendedMark]] = {}
    marks = AttendanceMark.objects.filter(
        occurrence_type=source.occurrence_type(),
        occurrence_id__in=[o.pk for o in occurrences],
        person_type=source.person_type(),
    ).values_list("person_id", "occurrence_id", "status", "duration")
    for person_id, occurrence_id, status, duration in marks:
        attended.setdefault(person_id, [])
        if status in ATTENDED:
            attended[person_id].append(completion.AttendedMark(occurrence_id, duration))
    key = {"series_type": source.series_type(), "person_type": source.person_type()}
    stored = {
        row.person_id: row
        for row in SeriesCompletion.objects.select_for_update().filter(**key, series_id=series.pk)
    }
    new, changed = [], []
    for person_id, person_marks in attended.items():
        progress = completion.evaluate(rule, occurrences, person_marks, now)
        row = stored.get(person_id) or SeriesCompletion(
            **key, series_id=series.pk, person_id=person_id
        )
        was_completed = row.completed if row.pk else False
        values = {
            "attended": progress.attended,
            "held": progress.held,
            "completed": progress.completed,
            "duration": progress.duration,
        }
        if row.pk and all(getattr(row, name) == value for name, value in values.items()):
            continue
        for name, value in values.items():
            setattr(row, name, value)
        if progress.completed != was_completed or not row.pk:
            row.completed_at = now if progress.completed else None
        row.updated_at = now
        (changed if row.pk else new).append((row, was_completed))
    SeriesCompletion.objects.bulk_create([row for row, _ in new])
    SeriesCompletion.objects.bulk_update(
        [row for row, _ in changed],
        ["attended", "held", "completed", "completed_at", "duration", "updated_at"],
    )
    for row, was_completed in new + changed:
        if row.completed != was_completed:
            completion_changed.send(source.series_model, source=source, completion=row)
    return len(new) + len(changed)
