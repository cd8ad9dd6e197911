"""Places in cohorts, through the places engine: a coordinator offers one from a referral
(offered for `Cohort.offer_window()`, or the waiting list when the cohort is full, ordered
by the referral's triage priority then date), the person accepts by their link or staff
record their answer given by phone; apologies for a week to come; withdrawing. A closed
programme needs its assessment recorded first and takes no one once its first week is over;
a rolling one takes joiners at any week (the week they join is recorded)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from portal import places
from portal.contact.models import SafeContactPlan
from programmes.models import (
    Apology,
    Assessment,
    Cohort,
    Enrolment,
    ProgrammePage,
    ProgrammeSession,
)
from programmes.models.enrolments import PRIORITY_OF_RISK, token_digest
from programmes.services.errors import ProgrammeError
from referrals.models import Outcome, Referral

# The longest free text kept (reasons, notes): longer is refused with a message, not cut.
MAX_TEXT = 2000

NEEDS_ASSESSMENT = "Record their assessment interview before offering a place."
FIRST_WEEK_OVER = "This group has passed its first week and takes no one new: offer the next one."


def _text(value: str, field: str) -> str:
    value = (value or "").strip()
    if len(value) > MAX_TEXT:
        raise ProgrammeError(
            f"Keep this to {MAX_TEXT} characters or fewer (it has {len(value)}).", field
        )
    return value


def not_eligible_because(cohort: Cohort, plan_id: int) -> str | None:
    """Why this person may not have a place in the cohort now (the engine asks it of every
    request and waiting entry)."""
    if cohort.is_cancelled:
        return "This group has been cancelled."
    programme = cohort.programme
    if not programme.is_rolling and cohort.first_week_over():
        return FIRST_WEEK_OVER
    if programme.assessment_needed and not has_assessment(programme, plan_id):
        return NEEDS_ASSESSMENT
    if not programme.is_rolling or next_week(cohort) is not None:
        return None
    return "This group has no weeks left."


def has_assessment(programme: ProgrammePage, plan_id: int) -> bool:
    latest = (
        Assessment.objects.filter(programme=programme, plan_id=plan_id)
        .order_by("-recorded_at", "-pk")
        .first()
    )
    return latest is not None and latest.suitable


def next_week(cohort: Cohort) -> ProgrammeSession | None:
    """The first week still to start (not cancelled)."""
    return (
        cohort.sessions.filter(cancelled=False, starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )


@transaction.atomic
def record_assessment(
    *, programme: ProgrammePage, plan: SafeContactPlan, suitable: bool, notes: str = "", by
) -> Assessment:
    return Assessment.objects.create(
        programme=programme,
        plan=plan,
        suitable=suitable,
        notes=_text(notes, "notes"),
        recorded_by=by,
    )


def offer_place(cohort: Cohort, *, referral: Referral, by) -> Enrolment:
    """A coordinator offers the referral's person a place: offered until they answer (or the
    offer lapses and passes on), or on the waiting list when the cohort is full."""
    if referral.outcome != Outcome.PROGRAMME:
        raise ProgrammeError("Only a referral whose outcome is a recovery programme.", "referral")
    plan = referral.plan
    with transaction.atomic():
        if Enrolment.objects.filter(cohort=cohort, plan=plan, status__in=places.ACTIVE).exists():
            raise ProgrammeError("They already have a place or an offer in this group.", "referral")
        try:
            return places.request_places(
                cohort,
                offer_for=cohort.offer_window(),
                plan=plan,
                user=plan.user,
                referral=referral,
                priority=PRIORITY_OF_RISK.get(referral.risk_level, 0),
                offered_by=by,
            )
        except places.PlacesError as exc:
            raise ProgrammeError(str(exc), "referral") from exc


def _still_open(enrolment: Enrolment) -> None:
    reason = not_eligible_because(enrolment.cohort, enrolment.plan_id)
    if reason is not None:
        raise ProgrammeError(reason)


def offered_by_token(token: str) -> Enrolment | None:
    if not token:
        return None
    return (
        Enrolment.objects.select_related("cohort__programme", "cohort__locality", "plan")
        .filter(token_digest=token_digest(token))
        .first()
    )


def accept_by_token(token: str, *, user=None) -> Enrolment:
    """The person accepts through their link (no account needed); a signed-in account whose
    verified address is the plan's is linked to the enrolment. Single use: once answered,
    the link shows that it was used."""
    enrolment = offered_by_token(token)
    if enrolment is None or not enrolment.is_offered:
        raise ProgrammeError("This link has been used or has expired.")
    return _accept(enrolment, user=user)


def _accept(enrolment: Enrolment, *, user=None, by=None) -> Enrolment:
    try:
        with transaction.atomic():
            _still_open(enrolment)
            enrolment = places.accept_offer(enrolment)
            fields = ["answered_by_staff"]
            enrolment.answered_by_staff = by
            if user is not None and enrolment.user_id is None and _owns_plan(user, enrolment.plan):
                enrolment.user = user
                fields.append("user")
            enrolment.save(update_fields=fields)
            return enrolment
    except places.PlacesError as exc:
        raise ProgrammeError(str(exc)) from exc


def _owns_plan(user, plan: SafeContactPlan) -> bool:
    from portal.accounts.selectors import verified_emails

    return bool(plan.contact_email) and plan.contact_email.strip().lower() in verified_emails(user)


def decline_by_token(token: str) -> Enrolment:
    enrolment = offered_by_token(token)
    if enrolment is None or not enrolment.is_offered:
        raise ProgrammeError("This link has been used or has expired.")
    return _decline(enrolment)


def _decline(enrolment: Enrolment, *, by=None) -> Enrolment:
    try:
        with transaction.atomic():
            enrolment = places.decline_offer(enrolment)
            enrolment.answered_by_staff = by
            enrolment.save(update_fields=["answered_by_staff"])
            return enrolment
    except places.PlacesError as exc:
        raise ProgrammeError(str(exc)) from exc


def answer_by_phone(enrolment: Enrolment, *, accepted: bool, by) -> Enrolment:
    """Staff record the person's answer to an offer, given by phone."""
    if not enrolment.is_offered:
        raise ProgrammeError("There is no offer waiting for an answer.")
    return _accept(enrolment, by=by) if accepted else _decline(enrolment, by=by)


@transaction.atomic
def send_apologies(
    enrolment: Enrolment, session: ProgrammeSession, *, reason: str = "", by=None
) -> Apology:
    """The participant (or staff for them) says they will miss a week still to come."""
    reason = _text(reason, "reason")
    if session.cohort_id != enrolment.cohort_id or session.week < enrolment.joined_week:
        raise ProgrammeError("Choose one of your weeks.", "session")
    if not enrolment.is_confirmed:
        raise ProgrammeError("Apologies are for people with a place.", "session")
    if session.cancelled:
        raise ProgrammeError("That week is cancelled: there is nothing to miss.", "session")
    if session.starts_at <= timezone.now():
        raise ProgrammeError(
            "That week has already started, so apologies cannot be sent for it.", "session"
        )
    apology, _ = Apology.objects.update_or_create(
        enrolment=enrolment, session=session, defaults={"reason": reason, "recorded_by": by}
    )
    return apology


def withdraw(enrolment: Enrolment, *, reason: str = "", by=None) -> Enrolment:
    """They leave the group (or the waiting list, or turn an offer down): the place goes to
    the waiting list at once; the reason is optional and kept encrypted."""
    reason = _text(reason, "reason")
    with transaction.atomic():
        if not enrolment.is_active:
            raise ProgrammeError("This place has already ended.")
        enrolment.withdrawn_at = timezone.now()
        enrolment.withdrawal_reason = reason
        enrolment.save(update_fields=["withdrawn_at", "withdrawal_reason"])
        enrolment = places.release_places(enrolment)
        enrolment.check_ins.filter(closed_at__isnull=True).update(closed_at=timezone.now())
        return enrolment
