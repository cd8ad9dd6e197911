"""Retention: closed applications anonymised after the period in settings, counts kept."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from portal.models import AuditEvent, OutboxMessage
from tests.volunteers import helpers
from volunteers import services
from volunteers.models import Application, DBSCheck, Note, Reference, Stage

pytestmark = pytest.mark.django_db


def test_closed_applications_are_anonymised_after_the_retention_period(
    roles, coordinator, settings
):
    settings.VOLUNTEER_RETENTION_DAYS = 365
    withdrawn = helpers.at_stage(Stage.REFERENCES, role=roles["office"], coordinator=coordinator)
    services.record_dbs(
        withdrawn,
        by=coordinator,
        level="basic",
        certificate_number="001234567890",
        issued_on=date(2025, 1, 1),
        update_service=False,
        outcome="clear",
    )
    services.add_note(withdrawn, by=coordinator, text="Private note")
    services.withdraw(withdrawn, by=withdrawn.user)
    recent = helpers.submitted(role=roles["office"])
    services.move(recent, Stage.NOT_PROGRESSED, by=coordinator, reason="Recent")
    active = helpers.submitted(role=roles["office"])
    services.override_to_active(active, by=coordinator, reason="Known volunteer")
    long_ago = timezone.now() - timedelta(days=366)
    Application.objects.filter(pk__in=[withdrawn.pk, active.pk]).update(stage_entered_at=long_ago)
    about_it = OutboxMessage.objects.filter(concerns_id=str(withdrawn.pk))
    assert about_it.exists()  # the confirmation, the reference requests, the withdrawal

    assert services.anonymise_closed_applications() == 1
    assert services.anonymise_closed_applications() == 0, "once only"
    withdrawn.refresh_from_db()
    assert withdrawn.user is None and withdrawn.anonymised_at
    assert (withdrawn.phone, withdrawn.motivation, withdrawn.lived_experience) == ("", "", "")
    assert withdrawn.stage == Stage.WITHDRAWN and withdrawn.roles.exists(), "still counted"
    assert set(Reference.objects.filter(application=withdrawn).values_list("name", "email")) == {
        ("", "")
    }
    assert not DBSCheck.objects.filter(application=withdrawn).exists()
    assert not Note.objects.filter(application=withdrawn).exists()
    assert AuditEvent.objects.filter(action="erase", target_id=str(withdrawn.pk)).exists()
    assert not about_it.exists()
    recent.refresh_from_db()
    active.refresh_from_db()
    assert recent.user and recent.phone and active.user and active.phone
