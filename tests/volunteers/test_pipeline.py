"""The onboarding pipeline's rules: every stage change, evidence completing stages by itself,
target days and the overdue flag, hold / not progressed / withdraw, and the override."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from portal.attendance import services as attendance
from portal.models import AuditEvent
from tests.attendance import factories as course_factories
from tests.factories import UserFactory
from tests.volunteers import helpers
from volunteers import services
from volunteers.models import Reference, Stage

pytestmark = pytest.mark.django_db


def _answer_both(application):
    for reference in application.references.all():
        services.answer_reference(
            reference.token,
            {"known_for": "Years", "suitability": "", "concerns": "", "recommends": True},
        )
    application.refresh_from_db()
    return application


def _dbs(application, coordinator, level="enhanced", outcome="clear", issued_on=None):
    services.record_dbs(
        application,
        by=coordinator,
        level=level,
        certificate_number="001234567890",
        issued_on=issued_on or date.today() - timedelta(days=10),
        update_service=True,
        outcome=outcome,
    )
    application.refresh_from_db()
    return application


def _attend(course, user):
    trainer = UserFactory(roles=["Trainer"])
    session = course_factories.session(course, trainers=[trainer])
    booking = course_factories.booking(session, user)
    attendance.mark(session, booking.attendees.get(), "present", by=trainer)


def test_the_whole_pipeline_completes_stages_by_itself_as_evidence_arrives(
    roles, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    application = helpers.at_stage(Stage.REFERENCES, role=roles["drop_in"], coordinator=coordinator)
    assert set(application.references.values_list("status", flat=True)) == {"requested"}
    # Evidence for a later stage may come early: the DBS outcome is kept until it is due.
    application = _dbs(application, coordinator)
    assert application.stage == Stage.REFERENCES
    application = _answer_both(application)
    # References in, and the DBS already recorded: both stages complete at once.
    assert application.stage == Stage.TRAINING
    with django_capture_on_commit_callbacks(execute=True):
        _attend(roles["course"], application.user)
    application.refresh_from_db()
    assert application.stage == Stage.AGREEMENT
    application = services.sign_agreement(application)
    assert application.stage == Stage.ACTIVE
    changes = list(application.changes.values_list("to_stage", "automatic"))
    assert changes == [
        ("applied", False),
        ("screening", False),
        ("interview", False),
        ("references", False),
        ("dbs", True),
        ("training", True),
        ("agreement", True),
        ("active", True),
    ]


def test_a_coordinator_moves_on_only_from_the_stages_without_evidence(roles, coordinator):
    application = helpers.submitted(role=roles["office"], locality="south")
    with pytest.raises(services.StageError, match="one stage at a time"):
        services.move(application, Stage.INTERVIEW, by=coordinator)
    with pytest.raises(services.StageError, match="No one becomes active"):
        services.move(application, Stage.ACTIVE, by=coordinator)
    application = helpers.at_stage(Stage.REFERENCES, role=roles["office"], coordinator=coordinator)
    with pytest.raises(services.StageError, match="completes by itself"):
        services.move(application, Stage.DBS, by=coordinator)
    application.refresh_from_db()
    assert application.stage == Stage.REFERENCES


def test_a_dbs_below_the_roles_level_or_not_accepted_does_not_complete_the_stage(
    roles, coordinator
):
    application = helpers.at_stage(Stage.REFERENCES, role=roles["drop_in"], coordinator=coordinator)
    application = _answer_both(application)
    assert application.stage == Stage.DBS
    application = _dbs(application, coordinator, level="standard")
    assert application.stage == Stage.DBS
    assert "need enhanced" in services.evidence_missing(application, Stage.DBS)
    application = _dbs(application, coordinator, outcome="not_accepted")
    assert application.stage == Stage.DBS
    application = _dbs(application, coordinator, issued_on=date.today() - timedelta(days=4000))
    assert application.stage == Stage.DBS, "a lapsed check is no evidence"
    application = _dbs(application, coordinator)
    assert application.stage == Stage.TRAINING


def test_a_role_without_required_courses_passes_training_by_itself(roles, coordinator):
    application = helpers.at_stage(
        Stage.REFERENCES, role=roles["office"], coordinator=coordinator, locality="south"
    )
    application = _dbs(_answer_both(application), coordinator, level="basic")
    assert application.stage == Stage.AGREEMENT


def test_being_absent_from_training_completes_nothing(roles, coordinator):
    application = helpers.at_stage(Stage.REFERENCES, role=roles["drop_in"], coordinator=coordinator)
    application = _dbs(_answer_both(application), coordinator)
    trainer = UserFactory(roles=["Trainer"])
    session = course_factories.session(roles["course"], trainers=[trainer])
    booking = course_factories.booking(session, application.user)
    attendance.mark(session, booking.attendees.get(), "absent", by=trainer)
    application.refresh_from_db()
    assert application.stage == Stage.TRAINING


def test_hold_needs_a_reason_and_returns_to_the_stage_it_was_held_at(roles, coordinator):
    application = helpers.at_stage(Stage.INTERVIEW, role=roles["office"], coordinator=coordinator)
    with pytest.raises(services.StageError, match="reason"):
        services.move(application, Stage.ON_HOLD, by=coordinator, reason="  ")
    application = services.move(application, Stage.ON_HOLD, by=coordinator, reason="Moving house")
    assert (application.stage, application.held_from) == (Stage.ON_HOLD, Stage.INTERVIEW)
    with pytest.raises(services.StageError, match="goes back"):
        services.move(application, Stage.REFERENCES, by=coordinator)
    application = services.move(application, Stage.INTERVIEW, by=coordinator)
    assert (application.stage, application.held_from) == (Stage.INTERVIEW, "")
    assert application.changes.get(to_stage=Stage.ON_HOLD).reason == "Moving house"


def test_not_progressed_closes_the_application(roles, coordinator):
    application = helpers.submitted(role=roles["office"])
    with pytest.raises(services.StageError, match="reason"):
        services.move(application, Stage.NOT_PROGRESSED, by=coordinator)
    application = services.move(
        application, Stage.NOT_PROGRESSED, by=coordinator, reason="Not suitable for now"
    )
    with pytest.raises(services.StageError, match="closed"):
        services.move(application, Stage.SCREENING, by=coordinator)
    # A closed application lets the person apply again later.
    assert services.draft_for(application.user).pk != application.pk


def test_withdrawing_stops_the_reference_links(roles, coordinator):
    application = helpers.at_stage(Stage.REFERENCES, role=roles["office"], coordinator=coordinator)
    token = application.references.first().token
    services.withdraw(application, by=application.user)
    application.refresh_from_db()
    assert application.stage == Stage.WITHDRAWN
    with pytest.raises(services.ReferenceLinkError):
        services.reference_for_token(token)
    with pytest.raises(services.ApplicationError):
        services.withdraw(application, by=application.user)


def test_the_override_needs_a_reason_and_records_what_was_missing(roles, coordinator):
    application = helpers.at_stage(Stage.INTERVIEW, role=roles["drop_in"], coordinator=coordinator)
    with pytest.raises(services.StageError, match="reason"):
        services.override_to_active(application, by=coordinator, reason="")
    with pytest.raises(services.StageError, match="under 2000"):
        services.override_to_active(application, by=coordinator, reason="x" * 2001)
    application = services.override_to_active(
        application, by=coordinator, reason="Returning volunteer, checks held elsewhere"
    )
    assert application.stage == Stage.ACTIVE
    assert application.override_reason == "Returning volunteer, checks held elsewhere"
    change = application.changes.get(to_stage=Stage.ACTIVE)
    assert change.override and change.by == coordinator
    assert "References: 0 of 2" in change.reason and "Safeguarding" in change.reason
    assert AuditEvent.objects.filter(
        actor=coordinator, target_id=str(application.pk), detail__override=True
    ).exists()
    with pytest.raises(services.StageError):
        services.override_to_active(application, by=coordinator, reason="again")


def test_the_agreement_is_signed_only_at_its_stage(roles, coordinator):
    application = helpers.submitted(role=roles["office"])
    with pytest.raises(services.ApplicationError):
        services.sign_agreement(application)
    assert application.agreement_signed_at is None


def test_each_stage_has_target_days_and_overdue_is_flagged(roles, coordinator, settings):
    settings.VOLUNTEER_STAGE_TARGET_DAYS = {**settings.VOLUNTEER_STAGE_TARGET_DAYS, "applied": 5}
    application = helpers.submitted(role=roles["office"])
    assert not application.is_overdue()
    assert application.is_overdue(timezone.now() + timedelta(days=6))
    from volunteers.admin_views import overdue_filter
    from volunteers.models import Application

    with time_machine.travel(timezone.now() + timedelta(days=6)):
        assert list(Application.objects.filter(overdue_filter())) == [application]
        services.move(application, Stage.SCREENING, by=coordinator)
        assert not Application.objects.filter(overdue_filter()).exists()


def test_notes_are_encrypted_and_their_writing_audited(roles, coordinator):
    from django.db import connection

    application = helpers.submitted(role=roles["office"])
    note = services.add_note(application, by=coordinator, text="Called, left a message")
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM volunteers_note WHERE id = %s", [note.pk])
        assert "left a message" not in cursor.fetchone()[0]
    assert AuditEvent.objects.filter(actor=coordinator, action="create").exists()
    with pytest.raises(services.StageError):
        services.add_note(application, by=coordinator, text=" ")


def test_submitting_sends_the_confirmation_email(
    roles, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = helpers.submitted(role=roles["office"])
    assert application.stage == Stage.APPLIED and application.submitted_at
    (email,) = mailoutbox
    assert email.to == [application.user.email]
    assert application.reference in email.subject
    with pytest.raises(services.ApplicationError):
        services.submit(application)


def test_a_draft_once_sent_cannot_be_changed(roles):
    application = helpers.submitted(role=roles["office"])
    with pytest.raises(services.ApplicationError):
        services.save_draft(application, {"motivation": "changed"})
    assert Reference.objects.filter(application=application).count() == 2


def test_training_a_role_needs_again_lapses_and_is_flagged(roles, coordinator):
    from django.test import Client
    from django.urls import reverse

    from tests.staff import sign_in_to_staff_area
    from volunteers import selectors

    roles["drop_in"].training_valid_months = 12
    roles["drop_in"].save()
    application = helpers.at_stage(Stage.REFERENCES, role=roles["drop_in"], coordinator=coordinator)
    application = _dbs(_answer_both(application), coordinator)
    trainer = UserFactory(roles=["Trainer"])
    old = course_factories.session(
        roles["course"], trainers=[trainer], starts_in=timedelta(days=-400)
    )
    attendance.mark(
        old, course_factories.booking(old, application.user).attendees.get(), "present", by=trainer
    )
    application.refresh_from_db()
    assert application.stage == Stage.TRAINING, "a refresher over a year old counts for nothing"
    assert "lapsed" in services.evidence_missing(application, Stage.TRAINING)
    (status,) = selectors.training_status(application)
    assert status.lapsed(date.today()) and status.valid_until < date.today()
    client = Client()
    sign_in_to_staff_area(client, coordinator)
    page = client.get(reverse("volunteers_application", args=[application.pk]))
    assert "(lapsed)" in page.content.decode()
    _attend(roles["course"], application.user)
    application.refresh_from_db()
    assert application.stage == Stage.AGREEMENT
