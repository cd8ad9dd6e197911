"""References by emailed link: forged, reused and expired links; the reminder and failure
schedule (configurable); DBS renewal and Update Service reminders to the coordinator."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.volunteers import helpers
from volunteers import services
from volunteers.models import Reference, Stage

pytestmark = pytest.mark.django_db
ANSWERS = {"known_for": "Ten years", "suitability": "", "concerns": "", "recommends": True}


@pytest.fixture
def at_references(roles, coordinator, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = helpers.at_stage(
            Stage.REFERENCES, role=roles["office"], coordinator=coordinator, locality="south"
        )
    return application


def test_each_referee_is_emailed_their_own_link(at_references, mailoutbox):
    requests = [m for m in mailoutbox if "A reference for" in m.subject]
    assert sorted(m.to[0] for m in requests) == ["rita@example.org", "rob@example.org"]
    for reference in at_references.references.all():
        (email,) = [m for m in requests if m.to == [reference.email]]
        assert f"/volunteer/reference/{reference.token}/" in email.body
        # Only the digest is searchable; the token column is encrypted.
        assert reference.token_digest and reference.token_digest != reference.token


def test_a_link_works_once(at_references):
    reference = at_references.references.get(position=1)
    token = reference.token
    services.answer_reference(token, ANSWERS)
    reference.refresh_from_db()
    assert reference.status == Reference.Status.RECEIVED and reference.known_for == "Ten years"
    assert (reference.token, reference.token_digest) == ("", "")
    with pytest.raises(services.ReferenceLinkError) as used:
        services.answer_reference(token, {**ANSWERS, "known_for": "Overwritten"})
    assert used.value.status == 404
    reference.refresh_from_db()
    assert reference.known_for == "Ten years"


def test_a_forged_link_finds_nothing(at_references):
    token = at_references.references.first().token
    altered = token[:-1] + ("B" if token[-1] == "A" else "A")
    for forged in ("", "x", altered, "a" * 43):
        with pytest.raises(services.ReferenceLinkError) as error:
            services.reference_for_token(forged)
        assert error.value.status == 404


def test_a_link_expires_when_the_reference_fails(at_references, settings):
    settings.VOLUNTEER_REFERENCE_FAIL_DAYS = 21
    reference = at_references.references.first()
    with time_machine.travel(timezone.now() + timedelta(days=21, hours=1)):
        with pytest.raises(services.ReferenceLinkError) as expired:
            services.reference_for_token(reference.token)
        assert expired.value.status == 410


def test_reminders_at_week_one_and_two_then_failed_at_week_three(
    at_references, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    start = timezone.now()

    def chase(days):
        with django_capture_on_commit_callbacks(execute=True):
            return services.chase_references(start + timedelta(days=days))

    assert chase(6) == 0
    assert chase(7) == 2
    assert {m.subject.split(":")[0] for m in mailoutbox} == {"Reminder"}
    assert chase(8) == 0, "one reminder per threshold"
    assert chase(14) == 2
    assert len(mailoutbox) == 4
    # The reminder repeats the same link, which still works.
    reference = at_references.references.get(position=1)
    assert reference.token in mailoutbox[-1].body or reference.token in mailoutbox[-2].body
    services.answer_reference(reference.token, ANSWERS)
    assert chase(21) == 1
    statuses = dict(at_references.references.values_list("position", "status"))
    assert statuses == {1: "received", 2: "failed"}
    assert at_references.references.get(position=2).token == ""


def test_the_schedule_is_configurable(at_references, settings):
    settings.VOLUNTEER_REFERENCE_REMINDER_DAYS = [3]
    settings.VOLUNTEER_REFERENCE_FAIL_DAYS = 5
    start = timezone.now()
    assert services.chase_references(start + timedelta(days=3)) == 2
    assert services.chase_references(start + timedelta(days=4)) == 0
    assert services.chase_references(start + timedelta(days=5)) == 2
    assert set(at_references.references.values_list("status", flat=True)) == {"failed"}


def test_dbs_renewal_reminders_go_to_the_coordinator_at_60_30_and_7_days(
    roles, coordinator, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.VOLUNTEER_DBS_RENEWAL_YEARS = 3
    application = helpers.submitted(role=roles["drop_in"])
    issued = date(2024, 3, 1)
    check = services.record_dbs(
        application,
        by=coordinator,
        level="enhanced",
        certificate_number="001234567890",
        issued_on=issued,
        update_service=False,
        outcome="clear",
    )
    assert check.renewal_due_on == date(2027, 3, 1)
    sent = []
    for day in (
        date(2026, 12, 30),
        date(2027, 1, 1),
        date(2027, 1, 2),
        date(2027, 1, 30),
        date(2027, 2, 22),
        date(2027, 2, 23),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            sent.append(services.dbs_renewal_reminders(day))
    assert sent == [0, 1, 0, 1, 1, 0]
    assert {m.to[0] for m in mailoutbox} == {coordinator.email}
    assert "DBS renewal due in 7 days" in mailoutbox[-1].subject


def test_a_yearly_update_service_check_reminder_for_subscribers(roles, coordinator):
    application = helpers.submitted(role=roles["drop_in"])
    services.record_dbs(
        application,
        by=coordinator,
        level="enhanced",
        certificate_number="001234567890",
        issued_on=date(2025, 1, 10),
        update_service=True,
        outcome="clear",
    )
    assert services.dbs_renewal_reminders(date(2026, 1, 9)) == 0
    assert services.dbs_renewal_reminders(date(2026, 1, 10)) == 1
    assert services.dbs_renewal_reminders(date(2026, 1, 11)) == 0
    # The coordinator records the check; the next reminder is a year after it.
    services.record_dbs(
        application,
        by=coordinator,
        level="enhanced",
        certificate_number="001234567890",
        issued_on=date(2025, 1, 10),
        update_service=True,
        outcome="clear",
        status_checked_on=date(2026, 1, 12),
    )
    assert services.dbs_renewal_reminders(date(2027, 1, 11)) == 0
    assert services.dbs_renewal_reminders(date(2027, 1, 12)) == 1


def test_the_certificate_number_is_encrypted_at_rest(roles, coordinator):
    from django.db import connection

    application = helpers.submitted(role=roles["drop_in"])
    check = services.record_dbs(
        application,
        by=coordinator,
        level="enhanced",
        certificate_number="001234567890",
        issued_on=date(2025, 1, 10),
        update_service=False,
        outcome="clear",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT certificate_number FROM volunteers_dbscheck WHERE id = %s", [check.pk]
        )
        assert "001234567890" not in cursor.fetchone()[0]
