"""Demo referrals for seed_demo: every source at every step of triage, in every in-person
locality, with contact attempts, a high-risk one, a repeat, and one made without consent;
and the helpline's advice-only calls.
Made through the services, as the forms and the triage screens make them. Run again, it
adds nothing (the demo referrals are known by their people's email addresses)."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.utils import timezone

from portal import demo as portal_demo
from portal.accounts.models import User
from portal.contact.models import SafeContactPlan
from portal.crypto import blind_lookup
from portal.localities import Locality

from . import dash, services
from .models import AdviceTopic, AttemptOutcome, CallerType, Closure, Kind, Outcome, Source

# "ended": community worker support that has finished (`services.close_case`).
STEPS = [
    "new",
    "contacting",
    "flagged",
    "allocated",
    "ended",
    "counselling",
    "signposted",
    "closed",
]
FIRST_NAMES = ["Alex", "Bobbie", "Casey", "Dana", "Ellis", "Frankie", "Gray", "Harper", "Jordan"]
PLAN = {
    "email_is_safe": True,
    "text_is_safe": False,
    "phone_call_is_safe": True,
    "letter_is_safe": False,
    "safe_days": [0, 1, 2, 3, 4],
    "safe_windows": [["09:30", "12:00"], ["13:30", "15:00"]],
    "voicemail_allowed": False,
    "service_may_be_named": False,
}


_phone_numbers = itertools.count(100)
# A police officer with an account: the police referrals are theirs, under My account.
REFERRER = ("referrer@police.example.gov.uk", "Rae", "Referrer")


def _email(locality: str, source: str) -> str:
    return f"demo.{locality}.{source}@example.com"


def seed() -> None:
    coordinator = User.objects.filter(groups__name="Coordinator").order_by("pk").first()
    worker = User.objects.filter(groups__name="Community worker").order_by("pk").first()
    if coordinator is None or worker is None:
        return
    if SafeContactPlan.objects.filter(**blind_lookup("email", _email("north", "self"))).exists():
        return
    now = timezone.now()
    referrer = portal_demo._person(*REFERRER)
    localities = list(Locality.objects.in_person())
    for i, locality in enumerate(localities):
        for j, source in enumerate(Source.values):
            step = STEPS[(i + j) % len(STEPS)]
            _referral(locality, source, step, now - timedelta(days=2 * j + i + 1), coordinator,
                      worker, name=f"{FIRST_NAMES[j]} {locality.name}son",
                      referrer=referrer)  # fmt: skip
    north = localities[0]
    # High risk (14 "yes"), a repeat of someone already known, and no consent.
    _referral(north, Source.POLICE, "new", now - timedelta(hours=5), coordinator, worker,
              name="Indy Highrisk", answers={n: dash.YES for n in range(1, 15)},
              referrer=referrer)  # fmt: skip
    _referral(north, Source.GP, "new", now - timedelta(hours=2), coordinator, worker,
              name="Alex Northson", email=_email("north", Source.SELF))  # fmt: skip
    _advice_calls(localities, coordinator, now)


def _advice_calls(localities, coordinator, now) -> None:
    """Advice-only helpline calls over the last fortnight, in opening hours, every caller
    type and topic, some with no locality given."""
    callers, topics = list(CallerType), list(AdviceTopic)
    for n in range(30):
        day = now - timedelta(days=1 + n % 14)
        services.record_advice(
            by=coordinator,
            caller_type=callers[n % len(callers)],
            topic=topics[n % len(topics)],
            locality=None if n % 4 == 3 else localities[n % len(localities)],
            advice="Demo: what was advised would be written here.",
            called_at=timezone.localtime(day).replace(hour=8 + n % 10, minute=(7 * n) % 60),
        )


def _referral(
    locality,
    source,
    step,
    when,
    coordinator,
    worker,
    *,
    name,
    email="",
    answers=None,
    referrer=None,
):
    professional = source not in (Source.SELF, Source.FRIEND_FAMILY, Source.HELPLINE)
    details = {"details": "Demo referral: what prompted it would be written here."}
    if source == Source.HELPLINE:
        details["caller_type"] = CallerType.PERSON
    if professional:
        details.update(
            referrer_name="Demo Referrer",
            referrer_role="Officer",
            referrer_agency=Source(source).label,
            referrer_email="referrer@example.gov.uk",
            consent_given=source != Source.HOUSING,
            lawful_basis="" if source != Source.HOUSING else "Safeguarding: shared with us only",
        )
    if source == Source.POLICE:
        details["police_risk"] = dash.MEDIUM
        if referrer is not None:
            details.update(
                referred_by=referrer,
                referrer_name=referrer.get_full_name(),
                referrer_email=referrer.email,
            )
    if source == Source.SCHOOL:
        details.update(school_name="Riverside Primary School", school_told=True)
    referral = services.submit(
        kind=Kind.PROFESSIONAL
        if professional
        else Kind.HELPLINE
        if source == Source.HELPLINE
        else Kind.SELF,
        source=source,
        locality=locality,
        person=services.Person(
            name=name,
            email=email or _email(locality.slug, source),
            phone=f"07700 900{next(_phone_numbers):03d}",
        ),
        plan_values=PLAN,
        details=details,
        risk=services.Risk(answers=answers or {}, judgement=dash.STANDARD if professional else ""),
        now=when,
    )
    if referral.high_risk or step == "new":
        return
    failed = {"contacting": 1, "flagged": 3}.get(step, 1)
    for n in range(failed):
        services.log_attempt(
            referral,
            by=coordinator,
            channel="phone_call",
            outcome=AttemptOutcome.NO_ANSWER,
            at=when + timedelta(hours=20 * (n + 1)),
        )
    if step in ("contacting", "flagged"):
        return
    services.log_attempt(
        referral, by=coordinator, channel="phone_call", outcome=AttemptOutcome.SPOKE,
        at=when + timedelta(days=2),
    )  # fmt: skip
    outcome = {
        "allocated": Outcome.COMMUNITY_WORKER,
        "ended": Outcome.COMMUNITY_WORKER,
        "counselling": Outcome.COUNSELLING_INDIVIDUAL,
        "signposted": Outcome.SIGNPOST,
        "closed": Outcome.CLOSED,
    }[step]
    services.decide(
        referral,
        by=coordinator,
        outcome=outcome,
        worker=worker if outcome == Outcome.COMMUNITY_WORKER else None,
        reason="Demo: the reason would be written here" if step in ("signposted", "closed") else "",
    )
    if outcome == Outcome.COMMUNITY_WORKER:
        services.add_note(referral, by=worker, text="Demo note: first visit arranged.")
    if step == "ended":
        services.close_case(referral, by=worker, closure=Closure.SUPPORT_COMPLETED)
