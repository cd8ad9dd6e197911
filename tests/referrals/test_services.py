"""Referral services: every transition, risk routing, the emails, de-duplication and
encryption at rest."""

import os
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings

from portal.localities import Locality
from portal.models import AuditEvent, OutboxMessage
from referrals import dash, selectors, services
from referrals.models import (
    AdviceContact,
    AttemptOutcome,
    CallerType,
    Closure,
    Kind,
    Outcome,
    Referral,
    Route,
    Source,
    Status,
)
from tests.factories import UserFactory
from tests.referrals import factories

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def coordinator():
    return UserFactory(roles=["Coordinator"], localities=["north"], email="coord@example.com")


@pytest.fixture
def worker():
    return UserFactory(roles=["Community worker"], localities=["north"])


def yes(count):
    return {n: dash.YES for n in range(1, count + 1)}


def test_a_self_referral_is_recorded_with_its_plan_and_queued(coordinator):
    referral = factories.referral(name="Alex Example", email="alex@example.com")
    assert referral.status == Status.NEW and referral.route == Route.COMMUNITY
    assert referral.plan.name == "Alex Example" and referral.plan.user is None
    assert len(referral.reference) == 8
    assert selectors.queue(coordinator) == [referral]
    assert AuditEvent.objects.filter(target_id=str(referral.pk), action="create").exists()


def test_the_person_is_emailed_only_where_email_is_safe_and_discreetly_when_asked(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        factories.referral(email="open@example.com")
        factories.referral(email="unsafe@example.com", plan={"email_is_safe": False})
        factories.referral(email="quiet@example.com", plan={"service_may_be_named": False})
    sent = {m.to[0]: m for m in mail.outbox}
    assert "unsafe@example.com" not in sent
    received = OutboxMessage.objects.filter(kind="referral_received")
    assert sorted(m.recipient for m in received) == ["open@example.com", "quiet@example.com"]
    assert "Community DA Service" in sent["open@example.com"].subject
    quiet = sent["quiet@example.com"]
    for text in (quiet.subject, quiet.from_email, quiet.body):
        assert "Community DA Service" not in text
        assert "support" not in text.lower() and "abuse" not in text.lower()


def test_staff_are_told_only_that_a_referral_is_waiting(
    coordinator, django_capture_on_commit_callbacks
):
    UserFactory(roles=["Coordinator"], localities=["south"], email="south@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        referral = factories.referral(name="Morgan Secret", details={"details": "hidden story"})
    staff = [m for m in mail.outbox if m.to == ["coord@example.com"]]
    assert len(staff) == 1 and staff[0].subject == "A new referral is waiting"
    assert f"/admin/referrals/{referral.pk}/" in staff[0].body
    for secret in ("Morgan", "hidden story", referral.reference):
        assert secret not in staff[0].body
    assert not [m for m in mail.outbox if m.to == ["south@example.com"]]


def test_a_professional_referral_with_14_yes_goes_to_the_high_risk_route(coordinator):
    referral = factories.referral(
        kind=Kind.PROFESSIONAL,
        source=Source.POLICE,
        risk=services.Risk(answers=yes(14), judgement=dash.STANDARD, stated_level=dash.MEDIUM),
    )
    assert referral.route == Route.HIGH_RISK and referral.risk_level == dash.HIGH
    assert referral.risk_reasons == ["score"] and referral.dash_score == 14
    # Recorded and flagged, shown apart from the community queue, never dropped.
    assert selectors.queue(coordinator) == [referral] and referral.high_risk


def test_13_yes_stays_in_the_community_route():
    referral = factories.referral(kind=Kind.PROFESSIONAL, risk=services.Risk(answers=yes(13)))
    assert referral.route == Route.COMMUNITY and referral.risk_level == dash.MEDIUM


def test_escalation_and_judgement_route_to_high_risk():
    escalated = factories.referral(risk=services.Risk(incidents_last_year=3))
    judged = factories.referral(risk=services.Risk(judgement=dash.HIGH))
    assert escalated.risk_reasons == ["escalation"] and judged.risk_reasons == ["judgement"]


def test_a_repeat_referral_within_a_year_is_high_risk_and_shows_the_earlier_one():
    first = factories.referral(email="again@example.com", now=datetime(2026, 1, 5, tzinfo=LONDON))
    second = factories.referral(email="Again@Example.com", now=datetime(2026, 6, 1, tzinfo=LONDON))
    assert second.high_risk and second.risk_reasons == ["repeat"]
    assert selectors.earlier_referrals(second) == [first]
    assert selectors.earlier_referrals(first) == []


def test_duplicates_are_found_by_phone_or_by_name_and_date_of_birth():
    old = datetime(2024, 1, 1, tzinfo=LONDON)
    by_phone = factories.referral(email="", phone="07700 900982", now=old)
    by_identity = factories.referral(
        email="", name="Jo  Bloggs", date_of_birth="1985-03-27", now=old
    )
    later = factories.referral(
        email="", phone="+44 7700 900982", name="jo bloggs", date_of_birth="1985-03-27"
    )
    assert not later.high_risk  # more than a year later: known, not a repeat
    assert set(selectors.earlier_referrals(later)) == {by_phone, by_identity}


def test_no_consent_is_flagged_for_senior_review_within_48_hours(coordinator):
    now = datetime(2026, 3, 2, 10, tzinfo=LONDON)
    referral = factories.referral(
        kind=Kind.PROFESSIONAL,
        now=now,
        details={"consent_given": False, "lawful_basis": "Child protection, shared with us"},
    )
    assert referral.senior_review_due_at == now + timedelta(hours=48)
    assert referral.senior_review_pending
    services.complete_senior_review(referral, by=coordinator)
    referral.refresh_from_db()
    assert not referral.senior_review_pending and referral.senior_reviewed_by == coordinator
    with pytest.raises(services.ReferralError):
        services.complete_senior_review(referral, by=coordinator)


def test_an_attempt_on_an_unsafe_channel_is_refused(coordinator):
    referral = factories.referral(plan={"phone_call_is_safe": False, "text_is_safe": False})
    with pytest.raises(services.ReferralError) as refused:
        services.log_attempt(
            referral, by=coordinator, channel="phone_call", outcome=AttemptOutcome.NO_ANSWER
        )
    assert refused.value.field == "channel"
    with pytest.raises(services.ReferralError):
        services.log_attempt(
            referral, by=coordinator, channel="email", outcome=AttemptOutcome.VOICEMAIL
        )
    assert not referral.attempts.exists()


def test_attempts_record_the_safe_window_and_first_contact(coordinator):
    referral = factories.referral(plan={"safe_days": [0], "safe_windows": [["09:00", "12:00"]]})
    monday_evening = datetime(2026, 3, 2, 19, tzinfo=LONDON)
    monday_morning = datetime(2026, 3, 9, 10, tzinfo=LONDON)
    outside = services.log_attempt(
        referral, by=coordinator, channel="phone_call", outcome="no_answer", at=monday_evening
    )
    referral.refresh_from_db()
    assert not outside.inside_safe_window and referral.status == Status.CONTACTING
    assert services.next_safe_window(referral.plan, monday_evening) == datetime(
        2026, 3, 9, 9, tzinfo=LONDON
    )
    inside = services.log_attempt(
        referral, by=coordinator, channel="phone_call", outcome="spoke", at=monday_morning
    )
    referral.refresh_from_db()
    assert inside.inside_safe_window and referral.first_contact_at == monday_morning


@override_settings(REFERRALS_FAILED_ATTEMPTS_FOR_REVIEW=2)
def test_failed_attempts_flag_for_review_and_never_close(coordinator):
    referral = factories.referral()
    services.log_attempt(referral, by=coordinator, channel="email", outcome="no_answer")
    referral.refresh_from_db()
    assert not referral.flagged_for_review
    services.log_attempt(referral, by=coordinator, channel="phone_call", outcome="wrong_number")
    referral.refresh_from_db()
    assert referral.flagged_for_review and referral.status == Status.CONTACTING


def test_allocating_to_a_community_worker_in_the_locality(coordinator, worker):
    referral = factories.referral()
    elsewhere = UserFactory(roles=["Community worker"], localities=["south"])
    with pytest.raises(services.ReferralError) as refused:
        services.decide(
            referral, by=coordinator, outcome=Outcome.COMMUNITY_WORKER, worker=elsewhere
        )
    assert refused.value.field == "worker"
    services.decide(referral, by=coordinator, outcome=Outcome.COMMUNITY_WORKER, worker=worker)
    referral.refresh_from_db()
    assert referral.status == Status.ALLOCATED and referral.allocated_to == worker
    assert list(selectors.referrals_visible_to(worker)) == [referral]
    assert list(selectors.referrals_visible_to(elsewhere)) == []
    with pytest.raises(services.ReferralError):
        services.decide(referral, by=coordinator, outcome=Outcome.CLOSED, reason="again")


@pytest.mark.parametrize(
    "outcome",
    [
        Outcome.COUNSELLING_INDIVIDUAL,
        Outcome.COUNSELLING_FAMILY,
        Outcome.PROGRAMME,
        Outcome.DROP_IN,
    ],
)
def test_other_services_are_offered(coordinator, outcome):
    referral = services.decide(factories.referral(), by=coordinator, outcome=outcome)
    assert referral.status == Status.REFERRED_ON and referral.outcome == outcome


def test_signposting_and_closing_need_a_reason(coordinator):
    for outcome in (Outcome.SIGNPOST, Outcome.CLOSED):
        referral = factories.referral()
        with pytest.raises(services.ReferralError) as refused:
            services.decide(referral, by=coordinator, outcome=outcome, reason="  ")
        assert refused.value.field == "reason"
        decided = services.decide(referral, by=coordinator, outcome=outcome, reason="Moved away")
        assert decided.outcome_reason == "Moved away"
    assert decided.status == Status.CLOSED


def test_a_high_risk_referral_is_never_offered_community_services(coordinator, worker):
    referral = factories.referral(risk=services.Risk(judgement=dash.HIGH))
    for outcome in (Outcome.COMMUNITY_WORKER, Outcome.DROP_IN):
        with pytest.raises(services.ReferralError):
            services.decide(referral, by=coordinator, outcome=outcome, worker=worker)
    passed = services.decide(referral, by=coordinator, outcome=Outcome.HIGH_RISK)
    assert passed.status == Status.HIGH_RISK


def test_a_coordinator_may_raise_a_community_referral_to_high_risk(coordinator):
    referral = services.decide(factories.referral(), by=coordinator, outcome=Outcome.HIGH_RISK)
    assert referral.route == Route.HIGH_RISK and referral.risk_level == dash.HIGH


def test_reallocation_and_transfer_record_the_reason(coordinator, worker):
    other = UserFactory(roles=["Community worker"], localities=["north"])
    south_worker = UserFactory(roles=["Community worker"], localities=["south"])
    referral = services.decide(
        factories.referral(), by=coordinator, outcome=Outcome.COMMUNITY_WORKER, worker=worker
    )
    with pytest.raises(services.ReferralError) as refused:
        services.hand_over(referral, by=coordinator, worker=other, reason="")
    assert refused.value.field == "reason"
    services.hand_over(referral, by=coordinator, worker=other, reason="Caseload")
    referral.refresh_from_db()
    assert referral.allocated_to == other
    south = Locality.objects.get(slug="south")
    with pytest.raises(services.ReferralError):
        services.hand_over(referral, by=coordinator, worker=other, locality=south, reason="Moved")
    services.hand_over(
        referral, by=coordinator, worker=south_worker, locality=south, reason="Moved"
    )
    referral.refresh_from_db()
    assert referral.locality == south and referral.allocated_to == south_worker
    assert [h.reason for h in referral.handovers.all()] == ["Caseload", "Moved"]
    assert list(selectors.referrals_visible_to(other)) == []
    assert list(selectors.referrals_visible_to(coordinator)) == []


def test_a_transfer_without_a_worker_goes_back_to_the_new_localitys_queue(coordinator, worker):
    referral = services.decide(
        factories.referral(), by=coordinator, outcome=Outcome.COMMUNITY_WORKER, worker=worker
    )
    south = UserFactory(roles=["Coordinator"], localities=["south"])
    services.hand_over(
        referral, by=coordinator, locality=Locality.objects.get(slug="south"), reason="Moved"
    )
    referral.refresh_from_db()
    assert referral.status == Status.NEW and referral.allocated_to is None
    assert selectors.queue(south) == [referral]


def test_case_notes_are_audited(worker):
    referral = factories.referral()
    with pytest.raises(services.ReferralError):
        services.add_note(referral, by=worker, text=" ")
    note = services.add_note(referral, by=worker, text="Spoke about a safety plan")
    assert AuditEvent.objects.filter(target_id=str(note.pk), actor=worker).exists()


def test_every_personal_field_is_encrypted_at_rest(coordinator):
    secrets = {
        "name": "Rowan Hidden",
        "email": "rowan.hidden@example.com",
        "phone": "07700 900123",
        "postcode": "RV1 2AB",
        "details": "A very private account",
        "access_needs": "Step-free access",
        "childcare_needs": "Two children",
        "referrer_name": "PC Plain Text",
        "referrer_agency": "Riverside Police",
        "lawful_basis": "Safeguarding lawful basis",
        "school_name": "Riverside Primary",
        "note": "Case note words",
        "reason": "Handover words",
        "attempt": "Attempt words",
    }
    worker = UserFactory(roles=["Community worker"], localities=["north"])
    referral = factories.referral(
        name=secrets["name"],
        email=secrets["email"],
        phone=secrets["phone"],
        date_of_birth="1990-01-02",
        risk=services.Risk(answers=yes(3), judgement=dash.MEDIUM),
        details={
            key: secrets[key]
            for key in (
                "postcode",
                "details",
                "access_needs",
                "childcare_needs",
                "referrer_name",
                "referrer_agency",
                "lawful_basis",
                "school_name",
            )
        },
        plan={"alternative_contact": "Aunt Secret", "voicemail_wording": "Dentist calling"},
    )
    services.log_attempt(
        referral, by=coordinator, channel="email", outcome="spoke", note=secrets["attempt"]
    )
    services.decide(referral, by=coordinator, outcome=Outcome.COMMUNITY_WORKER, worker=worker)
    services.add_note(referral, by=worker, text=secrets["note"])
    other = UserFactory(roles=["Community worker"], localities=["north"])
    services.hand_over(referral, by=coordinator, worker=other, reason=secrets["reason"])
    tables = [
        "referrals_referral",
        "referrals_contactattempt",
        "referrals_casenote",
        "referrals_handover",
        "portal_safecontactplan",
    ]
    with connection.cursor() as cursor:
        dump = ""
        for table in tables:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - our own table names
            dump += repr(cursor.fetchall())
    for secret in [*secrets.values(), "1990-01-02", "Aunt Secret", "Dentist calling", '"yes"']:
        assert secret not in dump, secret
    assert "fernet:" in dump
    assert Referral.objects.get(pk=referral.pk).details == secrets["details"]


@pytest.mark.slow
def test_the_demo_has_every_source_at_every_step_in_every_locality(settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115, PTH123
    count, calls = Referral.objects.count(), AdviceContact.objects.count()
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115, PTH123
    assert Referral.objects.count() == count
    assert AdviceContact.objects.count() == calls > 0
    assert {c.caller_type for c in AdviceContact.objects.all()} == set(CallerType.values)
    referrals = list(Referral.objects.select_related("locality"))
    assert {r.source for r in referrals} == set(Source.values)
    for locality in Locality.objects.in_person():
        here = [r for r in referrals if r.locality == locality]
        assert {r.status for r in here} >= {
            Status.NEW,
            Status.CONTACTING,
            Status.ALLOCATED,
            Status.REFERRED_ON,
            Status.CLOSED,
        }
        assert any(r.flagged_for_review for r in here)
        assert any(r.closure == Closure.SUPPORT_COMPLETED and r.allocated_to_id for r in here)
    assert any(r.high_risk for r in referrals) and any(r.senior_review_pending for r in referrals)
    assert any("repeat" in r.risk_reasons for r in referrals)
