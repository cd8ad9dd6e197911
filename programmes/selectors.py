"""Reads of programmes: who may see which cohort (the one staff-scope selector every
programme screen, register and feed asks), and what a screen lists."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from portal import places, scope
from portal.attendance.registry import source_by_key
from portal.attendance.selectors import completions, topics_left_of
from portal.places import HoldingStatus
from programmes.models import CheckIn, Cohort, Enrolment, ProgrammeSession
from referrals.models import Outcome
from referrals.selectors import referrals_visible_to

COORDINATE = "programmes.coordinate_programmes"
FACILITATE = "programmes.facilitate_programmes"


def works_on_programmes(user) -> bool:
    return user.is_authenticated and (
        scope.sees_everything(user) or user.has_perm(COORDINATE) or user.has_perm(FACILITATE)
    )


def cohorts_visible_to(user) -> QuerySet[Cohort]:
    """Superusers: every cohort. Coordinators: those of their localities (what runs online
    is in the Online locality) and those they facilitate or are assigned. Facilitators: only
    those they facilitate or are assigned. Anyone else, commissioners included: none."""
    cohorts = Cohort.objects.select_related("programme", "locality")
    if not user.is_authenticated:
        return cohorts.none()
    if scope.sees_everything(user):
        return cohorts
    own = Q(pk__in=Cohort.facilitators.through.objects.filter(user=user).values("cohort_id"))
    if user.has_perm(COORDINATE):
        return scope.visible(cohorts, user, own=own)
    if user.has_perm(FACILITATE):
        return scope.visible(cohorts, user, locality=None, own=own)
    return cohorts.none()


def enrolments_visible_to(user) -> QuerySet[Enrolment]:
    """The places in the cohorts this member of staff sees (`cohorts_visible_to`)."""
    return Enrolment.objects.select_related(
        "cohort__programme", "cohort__locality", "plan", "referral"
    ).filter(cohort__in=cohorts_visible_to(user).values("pk"))


def may_coordinate(user, cohort: Cohort) -> bool:
    """Offer places, move weeks, follow up: coordinators of the cohort (superusers)."""
    return scope.sees_everything(user) or (
        user.has_perm(COORDINATE) and cohorts_visible_to(user).filter(pk=cohort.pk).exists()
    )


def cohort_list(user) -> list[Cohort]:
    return list(
        places.with_places_taken(cohorts_visible_to(user)).annotate(
            waiting=Count("holdings", filter=Q(holdings__status=HoldingStatus.WAITING))
        )
    )


def enrolments_of_cohort(cohort: Cohort) -> list[Enrolment]:
    return list(
        cohort.holdings.select_related("plan__user", "referral").order_by(
            "-priority", "requested_at"
        )
    )


def referrals_for_places(user) -> list:
    """Referrals this coordinator may see whose outcome is a recovery programme."""
    return list(referrals_visible_to(user).filter(outcome=Outcome.PROGRAMME).order_by("created_at"))


def sessions_visible_to(user) -> QuerySet[ProgrammeSession]:
    return ProgrammeSession.objects.select_related("cohort__programme", "cohort__locality").filter(
        cohort__in=cohorts_visible_to(user).values("pk")
    )


def check_ins_visible_to(user) -> QuerySet[CheckIn]:
    """The check-ins of the cohorts this person coordinates (facilitators take registers,
    coordinators follow up)."""
    if not user.is_authenticated or not (scope.sees_everything(user) or user.has_perm(COORDINATE)):
        return CheckIn.objects.none()
    return CheckIn.objects.select_related(
        "enrolment__plan__user", "enrolment__cohort__programme", "session"
    ).filter(enrolment__cohort__in=cohorts_visible_to(user).values("pk"))


def open_check_ins(user) -> list[CheckIn]:
    return list(check_ins_visible_to(user).filter(closed_at__isnull=True).order_by("due_at", "pk"))


def enrolments_of(user) -> list[Enrolment]:
    """A participant's own places (not ended), for My account."""
    if not user.is_authenticated:
        return []
    return list(
        Enrolment.objects.filter(user=user, status__in=places.ACTIVE)
        .select_related("cohort__programme", "cohort__locality", "plan")
        .prefetch_related("cohort__facilitators")
        .order_by("cohort__start_date")
    )


def ended_without_end_questions(user) -> list[Enrolment]:
    """The places this person had and that ended (they left, or the cohort was cancelled)
    whose end questions they have not answered: My account offers them."""
    from portal.outcomes.models import Occasion, Response

    if not user.is_authenticated:
        return []
    answered = Response.objects.filter(
        subject_type=ContentType.objects.get_for_model(Enrolment), occasion=Occasion.END
    ).values("subject_id")
    return list(
        Enrolment.objects.filter(user=user, accepted_at__isnull=False)
        .exclude(status__in=places.ACTIVE)
        .exclude(pk__in=answered)
        .select_related("cohort")
        .order_by("cohort__start_date")
    )


def own_enrolment(user, pk: int) -> Enrolment | None:
    return next((e for e in enrolments_of(user) if e.pk == pk), None)


def confirmed_enrolments_of(user) -> list[Enrolment]:
    return [e for e in enrolments_of(user) if e.status == HoldingStatus.CONFIRMED]


def weeks_of(enrolment: Enrolment, *, upcoming: bool = False) -> QuerySet[ProgrammeSession]:
    """The participant's weeks (from the one they joined), not cancelled."""
    weeks = enrolment.cohort.sessions.filter(week__gte=enrolment.joined_week, cancelled=False)
    if upcoming:
        weeks = weeks.filter(starts_at__gt=timezone.now())
    return weeks.order_by("starts_at")


def safe_contact_plans_rule(user) -> Q:
    """The plans of people in the cohorts this member of staff sees (scope.register_rule)."""
    return Q(
        pk__in=Enrolment.objects.filter(cohort__in=cohorts_visible_to(user).values("pk")).values(
            "plan_id"
        )
    )


@dataclass(frozen=True)
class Progress:
    """How far someone is, from the register's stored completion (no marks yet: nothing
    attended); for a rolling programme, the topics they have yet to cover."""

    attended: int = 0
    held: int = 0
    completed: bool = False
    topics_left: tuple[str, ...] | None = None


def progress_of(cohort: Cohort, enrolments: list[Enrolment]) -> dict[int, Progress]:
    """enrolment pk -> their progress through the cohort, in three queries however many."""
    source = source_by_key("programmes.programmesession")
    ids = [e.pk for e in enrolments]
    rows = completions(source, [cohort.pk]).filter(person_id__in=ids)
    stored = {row.person_id: row for row in rows}
    left = topics_left_of(source, cohort, ids)
    in_order = [t.title for t in cohort.programme.topics.all()] if left else []
    result = {}
    for pk in ids:
        row = stored.get(pk)
        topics = tuple(t for t in in_order if t in left[pk]) if pk in left else None
        result[pk] = (
            Progress(row.attended, row.held, row.completed, topics)
            if row
            else Progress(topics_left=topics)
        )
    return result


def enrolments_in_figures_of(user) -> QuerySet[Enrolment]:
    """The enrolments a report counts for this person: the whole service for superusers and
    commissioners (figures only), else those of the cohorts they see (`user=None`: all)."""
    if scope.sees_all_figures(user):
        return Enrolment.objects.all()
    return Enrolment.objects.filter(cohort__in=cohorts_visible_to(user).values("pk"))
