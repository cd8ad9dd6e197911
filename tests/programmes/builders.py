"""Programmes, cohorts and referred people for the programmes tests, made through the
services (a coordinator offers, the person accepts)."""

from __future__ import annotations

import itertools
from datetime import date, time, timedelta

from django.utils import timezone

from portal.localities import Locality
from programmes import services
from programmes.models import ProgrammePage, ProgrammeTopic
from referrals import services as referral_services
from referrals.models import Outcome
from tests.factories import UserFactory
from tests.referrals.factories import referral as make_referral

_numbers = itertools.count(1)
FREEDOM_TOPICS = [f"Topic {n}" for n in range(1, 13)]


def programme(parent, *, rolling: bool = False, weeks: int = 12, **fields) -> ProgrammePage:
    page = ProgrammePage(
        title=fields.pop("title", "Freedom Programme" if rolling else "Recovery Toolkit"),
        who_for="<p>Women who have lived with abuse.</p>",
        what_happens="<p>Weekly sessions.</p>",
        kind="rolling" if rolling else "closed",
        weeks=weeks,
        completion_rule="topics" if rolling else "share",
        assessment_needed=fields.pop("assessment_needed", not rolling),
        sessions_to_complete=fields.pop("sessions_to_complete", 9 if weeks >= 9 else weeks),
        **fields,
    )
    if rolling:
        page.topics = [ProgrammeTopic(title=title) for title in FREEDOM_TOPICS[:weeks]]
    parent.add_child(instance=page)
    return page


def next_monday(weeks_ahead: int = 1) -> date:
    today = timezone.localdate()
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7) + timedelta(weeks=weeks_ahead - 1)


def cohort(page, locality: str = "north", *, start: date | None = None, capacity=10, **kwargs):
    return services.create_cohort(
        programme=page,
        locality=Locality.objects.get(slug=locality),
        start_date=start or next_monday(),
        start_time=time(10, 0),
        capacity=capacity,
        venue=kwargs.pop("venue", "" if locality == "online" else "Room 2, Hope Centre\nRV1 1AA"),
        **kwargs,
    )


def coordinator(*localities: str):
    return UserFactory(roles=["Coordinator"], localities=list(localities) or None)


def facilitator(cohort_=None):
    user = UserFactory(roles=["Programme facilitator"], localities=[])
    if cohort_ is not None:
        cohort_.facilitators.add(user)
    return user


def referred(locality: str = "north", *, by=None, **kwargs):
    """A referral triaged to the programme outcome (its person's plan as they gave it)."""
    by = by or coordinator(locality)
    # Addresses of their own: one shared with an earlier referral would make it a repeat
    # (the high-risk route), not a programme's.
    kwargs.setdefault("email", f"referred{next(_numbers)}@example.org")
    made = make_referral(locality, **kwargs)
    return referral_services.decide(made, by=by, outcome=Outcome.PROGRAMME)


def assessed(page, referral, by):
    return services.record_assessment(programme=page, plan=referral.plan, suitable=True, by=by)


def enrolled(cohort_, referral=None, *, by=None):
    """Offered and accepted (recorded by phone)."""
    by = by or coordinator(cohort_.locality.slug)
    referral = referral or referred(cohort_.locality.slug, by=by)
    if cohort_.programme.assessment_needed:
        assessed(cohort_.programme, referral, by)
    enrolment = services.offer_place(cohort_, referral=referral, by=by)
    return services.answer_by_phone(enrolment, accepted=True, by=by)


def offer_token(enrolment) -> str:
    """The accept link's token, from the offer in the outbox."""
    from django.contrib.contenttypes.models import ContentType

    from portal.models import OutboxMessage
    from programmes.models import Enrolment

    offer = OutboxMessage.objects.filter(
        concerns_type=ContentType.objects.get_for_model(Enrolment),
        concerns_id=str(enrolment.pk),
        kind="programme_offer",
    ).latest("pk")
    link = next(line for line in offer.body.splitlines() if "/appointments/answer/" in line)
    return link.rsplit("/answer/", 1)[1].strip("/")


def enrolled_with_account(cohort_, user, *, by=None, **referral_fields):
    """Offered to a referral with the user's address, accepted through the link signed in."""
    by = by or coordinator(cohort_.locality.slug)
    referral = referred(cohort_.locality.slug, by=by, email=user.email, **referral_fields)
    if cohort_.programme.assessment_needed:
        assessed(cohort_.programme, referral, by)
    enrolment = services.offer_place(cohort_, referral=referral, by=by)
    return services.accept_by_token(offer_token(enrolment), user=user)


def bare_referral(locality: str = "north", *, name: str = "Person"):
    """A referral already triaged to a programme, made directly (for tests that need many)."""
    from portal.contact.models import SafeContactPlan
    from referrals.models import Referral

    return Referral.objects.create(
        kind="self",
        source="self",
        locality=Locality.objects.get(slug=locality),
        plan=SafeContactPlan.objects.create(name=name),
        risk_level="standard",
        outcome=Outcome.PROGRAMME,
    )
