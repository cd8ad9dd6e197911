"""Reading safe-contact plans: whose plan applies to an address, and what staff are shown."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from portal import audit, scope, sms
from portal.contact.models import WEEKDAYS, SafeContactPlan
from portal.crypto import blind_index, blind_lookup

# Plans an app keeps behind its own scoped screens (the plan of a referral's person is seen
# only by those the referral's scope allows): the staff area's plans listing, and its
# inspect and edit views, leave them out for everyone but superusers (a 404, as for none).
_kept_elsewhere: list[Callable[[], QuerySet]] = []


def keep_elsewhere(plan_ids: Callable[[], QuerySet]) -> None:
    """For an app's ready(): `plan_ids()` gives the pks of the plans its screens keep."""
    _kept_elsewhere.append(plan_ids)


def plan_of(user) -> SafeContactPlan | None:
    """The account holder's saved plan, or None (the defaults apply)."""
    if user is None or not getattr(user, "pk", None):
        return None
    try:
        return user.safe_contact_plan
    except SafeContactPlan.DoesNotExist:
        return None


def plan_or_default(user) -> SafeContactPlan:
    """The saved plan, or an unsaved one with the defaults (for forms and summaries)."""
    return plan_of(user) or SafeContactPlan(user=user)


def plans_for_address(email: str = "", phone: str = "") -> list[SafeContactPlan]:
    """Every plan that owns this address or number: the plans of the accounts that have the
    address verified, and the plans of people without an account that hold it."""
    match = Q(pk__in=[])
    if email:
        match |= Q(
            user__emailaddress__email__iexact=email.strip(), user__emailaddress__verified=True
        )
        match |= Q(user__isnull=True, **blind_lookup("email", email))
    if phone:
        match |= Q(user__isnull=True, **blind_lookup("phone", phone))
    return list(SafeContactPlan.objects.filter(match).distinct().select_related("user"))


def plans_visible_to(user) -> QuerySet[SafeContactPlan]:
    """The plans a member of staff may see: every one for a superuser; for other staff,
    those assigned to them (the plans they recorded: `services.record_plan_by_staff`) and those of
    the people their work gives them (the apps' `scope.register_rule(SafeContactPlan, ...)`:
    courses, the people booked on their sessions). Figures-only roles: none."""
    if not user.is_authenticated or scope.figures_only(user):
        return SafeContactPlan.objects.none()
    if user.is_superuser:
        return SafeContactPlan.objects.all()
    plans = scope.visible(SafeContactPlan.objects.all(), user, locality=None)
    for plan_ids in _kept_elsewhere:  # an app's own scoped screens show these (referrals)
        plans = plans.exclude(pk__in=plan_ids())
    return plans


def plans_of_people(people: Iterable[tuple[object | None, str]]) -> list[SafeContactPlan | None]:
    """The plan of each (account or None, email) person, in one query: the account's own
    plan, else the plan of someone without an account that holds the address (as notify
    finds it when it sends)."""
    people = list(people)
    user_ids = {user.pk for user, _ in people if user is not None}
    emails = [email for _, email in people if email]
    if not user_ids and not emails:
        return [None] * len(people)
    match = Q(user_id__in=user_ids)
    if emails:
        match |= Q(user__isnull=True, **blind_lookup("email", *emails))
    plans = list(SafeContactPlan.objects.filter(match).select_related("user"))
    by_user = {plan.user_id: plan for plan in plans if plan.user_id}
    by_email = {blind_index(plan.email): plan for plan in plans if not plan.user_id}
    return [
        (by_user.get(user.pk) if user is not None else None)
        or (by_email.get(blind_index(email)) if email else None)
        for user, email in people
    ]


def is_discreet(user) -> bool:
    plan = plan_of(user)
    return bool(plan and plan.discreet)


def describe_times(plan: SafeContactPlan) -> str:
    days = ", ".join(WEEKDAYS[d] for d in sorted(plan.safe_days)) if plan.safe_days else "Any day"
    times = (
        ", ".join(f"{start} to {end}" for start, end in plan.safe_windows)
        if plan.safe_windows
        else "any time"
    )
    return f"{days}, {times}"


def channels(plan: SafeContactPlan) -> list[str]:
    """The safe ways to reach the person, as staff should read them. Text messages need an
    SMS provider: without one, a person who may be texted is to be contacted by phone."""
    found = []
    if plan.phone_call_is_safe:
        found.append("Phone call")
    if plan.text_is_safe:
        found.append(
            "Text message"
            if sms.provider_configured()
            else "Contact by phone (text only: the portal cannot send texts yet)"
        )
    if plan.email_is_safe:
        found.append("Email")
    if plan.letter_is_safe:
        found.append("Letter")
    return found or ["None: do not contact"]


@dataclass(frozen=True)
class PlanSummary:
    plan: SafeContactPlan | None
    rows: list[tuple[str, str]]
    review_overdue: bool


def summary(plan: SafeContactPlan | None, *, for_staff: bool = True, today: date | None = None):
    """What the include `portal/contact/plan_summary.html` shows, in order."""
    if plan is None:
        return PlanSummary(None, [], False)
    yes_no = {True: "Yes", False: "No"}
    voicemail = "No"
    if plan.voicemail_allowed:
        voicemail = f"Yes: “{plan.voicemail_wording}”" if plan.voicemail_wording else "Yes"
    rows = [
        ("Safe ways to contact", "; ".join(channels(plan))),
        ("Safe days and times (UK time)", describe_times(plan)),
        ("Voicemail", voicemail),
        ("The service may be named", yes_no[plan.service_may_be_named]),
        ("Discreet invites give the place", yes_no[plan.location_in_calendar]),
        ("Preferred name", plan.preferred_name or "Not given"),
        ("Language", plan.language or "Not given"),
        ("Interpreter needed", yes_no[plan.interpreter_needed]),
        ("Safe alternative contact", plan.alternative_contact or "None"),
    ]
    if for_staff:
        rows.append(("Notes", plan.notes or "None"))
        rows.append(
            (
                "Review date",
                plan.review_date.strftime("%-d %B %Y") if plan.review_date else "Not set",
            )
        )
    today = today or timezone.localdate()
    overdue = bool(for_staff and plan.review_date and plan.review_date < today)
    return PlanSummary(plan, rows, overdue)


def plan_for_staff(request, plan: SafeContactPlan | None) -> PlanSummary:
    """The summary a staff screen shows before any contact, with the view audited."""
    if plan is not None and plan.pk:
        audit.record_view(request, plan)
    return summary(plan)


def plans_for_staff(request, people: Iterable[tuple[str, object | None, str]]):
    """For a staff screen about several people, each (label, account or None, email): the
    (label, summary) of each one who has a plan, once per plan, each view audited. The
    others have none: the defaults apply (messages by email, naming the service)."""
    people = list(people)
    found, seen = [], set()
    for (label, _, _), plan in zip(
        people, plans_of_people((user, email) for _, user, email in people), strict=True
    ):
        if plan is not None and plan.pk not in seen:
            seen.add(plan.pk)
            found.append((label, plan_for_staff(request, plan)))
    return found
