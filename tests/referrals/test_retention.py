"""Retention: referrals finished with (closed, passed on) longer ago than the period in
settings are anonymised by the daily job; the rows keep what the reports count."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import Schedule

from portal.models import AuditEvent, OutboxMessage
from referrals import dash, retention, services
from referrals.models import CaseNote, ContactAttempt, Handover, Kind, Outcome, Referral, Source
from tests.factories import UserFactory
from tests.referrals import factories
from tests.referrals.leftovers import leftovers, referral_figures

pytestmark = pytest.mark.django_db
PERSONAL = [
    "Robin Retained",
    "robin@example.com",
    "07700 900111",
    "1980-02-03",
    "RV1 2AB",
    "Hit by partner",
    "Officer Ash",
    "ash@police.example.gov.uk",
    "Ask for Robin",
    "Tried at noon",
    "Moved to the South",
    "Spoke about the children",
    "Not interested now",
]


def test_finished_referrals_are_anonymised_after_the_period_and_counts_stay(settings):
    settings.REFERRALS_RETENTION_DAYS = 730
    referrer = UserFactory()
    coordinator = UserFactory(roles=["Coordinator"], localities=["north", "south"])
    worker = UserFactory(roles=["Community worker"], localities=["south"])
    old = factories.referral(
        "north",
        name="Robin Retained",
        email="robin@example.com",
        phone="07700 900111",
        date_of_birth="1980-02-03",
        kind=Kind.PROFESSIONAL,
        source=Source.POLICE,
        plan={"alternative_contact": "Ask for Robin", "safe_days": [0]},
        risk=services.Risk(answers={1: dash.YES}, judgement=dash.MEDIUM),
        details={
            "postcode": "RV1 2AB",
            "details": "Hit by partner",
            "referrer_name": "Officer Ash",
            "referrer_email": "ash@police.example.gov.uk",
            "referred_by": referrer,
        },
    )
    services.log_attempt(
        old, by=coordinator, channel="phone_call", outcome="no_answer", note="Tried at noon"
    )
    services.log_attempt(old, by=coordinator, channel="phone_call", outcome="spoke")
    services.add_note(old, by=coordinator, text="Spoke about the children")
    services.hand_over(
        old,
        by=coordinator,
        reason="Moved to the South",
        locality=old.locality.__class__.objects.get(slug="south"),
        worker=worker,
    )
    services.decide(old, by=coordinator, outcome=Outcome.CLOSED, reason="Not interested now")
    recent = factories.referral("north")
    services.decide(recent, by=coordinator, outcome=Outcome.DROP_IN)
    ongoing = factories.referral("south")
    services.decide(ongoing, by=coordinator, outcome=Outcome.COMMUNITY_WORKER, worker=worker)
    long_ago = timezone.now() - timedelta(days=731)
    Referral.objects.filter(pk__in=[old.pk, ongoing.pk]).update(decided_at=long_ago)
    assert OutboxMessage.objects.filter(concerns_id=str(old.pk)).exists()
    assert leftovers(*PERSONAL), "the check can see the data before"
    before = referral_figures()
    assert before["referrals-by-source-and-month"]

    assert retention.anonymise_finished_referrals() == 1
    assert retention.anonymise_finished_referrals() == 0, "once only"

    assert leftovers(*PERSONAL) == []
    assert referral_figures() == before
    old.refresh_from_db()
    plan = old.plan
    assert old.anonymised_at and old.referred_by is None
    assert (old.identity_index, plan.email_index, plan.phone_index) == ("", "", "")
    assert (plan.name, plan.email, plan.phone, plan.safe_days) == ("", "", "", [])
    assert (old.source, old.locality.slug, old.risk_level, old.outcome) == (
        Source.POLICE,
        "south",
        dash.MEDIUM,
        Outcome.CLOSED,
    )
    assert old.first_contact_at and old.decided_at
    assert ContactAttempt.objects.filter(referral=old).count() == 2
    assert Handover.objects.filter(referral=old).count() == 1
    assert not CaseNote.objects.filter(referral=old).exists()
    assert not OutboxMessage.objects.filter(concerns_id=str(old.pk)).exists()
    assert AuditEvent.objects.filter(action="erase", target_id=str(old.pk)).exists()
    # Not found again as the same person.
    assert not Referral.objects.filter(
        services.selectors.same_person(email="robin@example.com")
    ).exists()
    for kept in (recent, ongoing):
        kept.refresh_from_db()
        assert kept.anonymised_at is None and kept.plan.email


def test_the_job_is_scheduled_daily():
    schedule = Schedule.objects.get(func="referrals.retention.anonymise_finished_referrals")
    assert schedule.minutes == 24 * 60 and schedule.repeats == -1
