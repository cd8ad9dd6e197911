"""Cohorts and their weekly sessions: generated (bank holidays skipped), then moved or
cancelled one by one, each change told to the participants discreetly."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from portal import places
from portal.attendance.services import recompute_completion
from portal.calendars import LONDON
from programmes import schedule
from programmes.models import Cohort, CohortStatus, ProgrammePage, ProgrammeSession
from programmes.services import notices
from programmes.services.errors import ProgrammeError


def _at(day: date, start: time) -> datetime:
    return datetime.combine(day, start, LONDON)


def _refresh_span(cohort: Cohort) -> None:
    held = cohort.sessions.filter(cancelled=False).order_by("starts_at")
    first, last = held.first(), held.last()
    cohort.starts_at = first.starts_at if first else None
    cohort.ends_at = last.ends_at if last else None
    cohort.save(update_fields=["starts_at", "ends_at"])


@transaction.atomic
def create_cohort(
    *,
    programme: ProgrammePage,
    locality,
    start_date: date,
    start_time: time,
    capacity: int,
    venue: str = "",
    weeks: int | None = None,
    creche_places: int = 0,
    facilitators=(),
) -> Cohort:
    """A cohort with its weekly sessions: `weeks` (the programme's by default) a week apart
    on the start date's weekday, skipping England and Wales bank holidays; a rolling
    programme's sessions carry its topics in turn."""
    if not locality.is_online and not venue.strip():
        raise ProgrammeError("Give the venue, or choose Online.", "venue")
    weeks = weeks or programme.weeks
    if weeks < 1:
        raise ProgrammeError("A cohort has at least one week.", "weeks")
    cohort = Cohort.objects.create(
        programme=programme,
        locality=locality,
        venue=venue.strip(),
        start_date=start_date,
        start_time=start_time,
        weeks=weeks,
        capacity=capacity,
        creche_places=creche_places,
    )
    cohort.facilitators.set(facilitators)
    topics = [t.title for t in programme.topics.all()] if programme.by_topics else []
    length = timedelta(minutes=programme.session_minutes)
    ProgrammeSession.objects.bulk_create(
        ProgrammeSession(
            cohort=cohort,
            week=week,
            topic=schedule.topic_for_week(topics, week),
            starts_at=_at(day, start_time),
            ends_at=_at(day, start_time) + length,
        )
        for week, day in enumerate(schedule.weekly_dates(start_date, weeks), start=1)
    )
    _refresh_span(cohort)
    return cohort


def _lock_session(session: ProgrammeSession) -> ProgrammeSession:
    Cohort.objects.select_for_update().filter(pk=session.cohort_id).exists()
    return ProgrammeSession.objects.select_for_update().select_related("cohort").get(pk=session.pk)


@transaction.atomic
def move_session(session: ProgrammeSession, *, starts_at: datetime) -> ProgrammeSession:
    """Move one week (same length); participants get the updated invite."""
    session = _lock_session(session)
    if session.cancelled:
        raise ProgrammeError("This week is cancelled.", "starts_at")
    if starts_at <= timezone.now():
        raise ProgrammeError("Choose a time in the future.", "starts_at")
    if session.starts_at <= timezone.now():
        raise ProgrammeError("This week has already started, so it cannot be moved.", "starts_at")
    length = session.ends_at - session.starts_at
    session.starts_at, session.ends_at = starts_at, starts_at + length
    session.sequence += 1
    session.save(update_fields=["starts_at", "ends_at", "sequence"])
    _refresh_span(session.cohort)
    notices.session_changed(session)
    return session


@transaction.atomic
def cancel_session(session: ProgrammeSession) -> ProgrammeSession:
    """Cancel one week: it no longer counts for completion; participants are told."""
    session = _lock_session(session)
    if session.cancelled:
        return session
    session.cancelled = True
    session.sequence += 1
    session.save(update_fields=["cancelled", "sequence"])
    _refresh_span(session.cohort)
    recompute_completion(session)
    notices.session_changed(session)
    return session


@transaction.atomic
def cancel_cohort(cohort: Cohort) -> Cohort:
    """The whole group will not run: every place, offer and waiting entry is cancelled
    through the places engine (people with a place get the cancellations of their weeks),
    and its weeks still to come are cancelled."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.is_cancelled:
        return cohort
    # Marked first, so that what the engine tells each person knows the group is off.
    cohort.status = CohortStatus.CANCELLED
    cohort.save(update_fields=["status"])
    places.cancel_offering(cohort)
    cohort.sessions.filter(starts_at__gt=timezone.now(), cancelled=False).update(cancelled=True)
    return cohort


@transaction.atomic
def edit_cohort(
    cohort: Cohort, *, capacity: int, creche_places: int, venue: str, facilitators
) -> Cohort:
    """Change the places (through the engine: more are offered to the waiting list at
    once; never fewer than are taken), the crèche places, the venue and the facilitators."""
    if not cohort.online and not venue.strip():
        raise ProgrammeError("Give the venue.", "venue")
    try:
        places.set_capacity(cohort, capacity)
    except places.PlacesError as exc:
        raise ProgrammeError(str(exc), "capacity") from exc
    cohort = Cohort.objects.get(pk=cohort.pk)
    cohort.creche_places = creche_places
    cohort.venue = venue.strip()
    cohort.save(update_fields=["creche_places", "venue"])
    cohort.facilitators.set(facilitators)
    return cohort
