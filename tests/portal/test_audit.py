import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction

from portal import audit
from portal.models import AuditEvent
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_record_says_who_did_what_to_which_record_without_its_content():
    staff = UserFactory(email="coordinator@example.com")
    subject = UserFactory(first_name="Secret", phone="07700 900123")
    event = audit.record(staff, audit.Action.VIEW, subject, reason="referral review")
    assert event.actor == staff and event.actor_email == "coordinator@example.com"
    assert event.target_label == f"User #{subject.pk}"
    assert "Secret" not in str(event)
    assert list(audit.trail_for(subject)) == [event]


def test_the_trail_outlives_the_actor_account():
    staff = UserFactory(email="gone@example.com")
    staff_id = staff.pk
    event = audit.record(staff, audit.Action.CHANGE, OrganisationFactory())
    staff.delete()
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor_id == staff_id and event.actor_email == "gone@example.com"


def test_audit_events_cannot_be_changed_or_deleted():
    event = audit.record(None, audit.Action.EXPORT, OrganisationFactory())
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.update(action="view")


@pytest.mark.postgres
def test_postgresql_itself_refuses_to_rewrite_the_trail():
    event = audit.record(None, audit.Action.EXPORT, OrganisationFactory())
    for sql in ["UPDATE portal_auditevent SET action = 'view'", "DELETE FROM portal_auditevent"]:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEvent.objects.filter(pk=event.pk, action="export").exists()


@pytest.mark.postgres
def test_postgresql_refuses_to_truncate_the_trail():
    event = audit.record(None, audit.Action.EXPORT, OrganisationFactory())
    for sql in [
        "TRUNCATE portal_auditevent",
        "TRUNCATE portal_auditevent RESTART IDENTITY CASCADE",
        "TRUNCATE accounts_organisation, portal_auditevent CASCADE",
    ]:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            # The test's own transaction defers its foreign-key checks; run them first,
            # or TRUNCATE is refused for that reason instead of the trigger.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(sql)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_erasure_blanks_the_detail_of_rows_about_a_record_and_nothing_else():
    staff = UserFactory(email="coordinator@example.com")
    organisation, other = OrganisationFactory(), OrganisationFactory()
    about = audit.record(staff, audit.Action.CHANGE, organisation, name="Secret Name")
    kept = audit.record(staff, audit.Action.CHANGE, other, name="Other Name")
    assert audit.erase_detail(organisation) == 1
    about = AuditEvent.objects.get(pk=about.pk)
    assert about.detail == audit.ERASED_DETAIL
    assert (about.actor, about.action, about.target_id) == (staff, "change", str(organisation.pk))
    assert AuditEvent.objects.get(pk=kept.pk).detail == {"name": "Other Name"}


@pytest.mark.postgres
def test_postgresql_lets_erasure_blank_the_detail_only():
    event = audit.record(None, audit.Action.EXPORT, OrganisationFactory(), name="Secret")
    for sql in [
        "UPDATE portal_auditevent SET action = 'view', detail = '{\"erased\": true}'",
        'UPDATE portal_auditevent SET detail = \'{"name": "rewritten"}\'',
        "DELETE FROM portal_auditevent",
    ]:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL portal.audit_erasure = 'on'")
            cursor.execute(sql)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        # Without the setting, not even the erased marker.
        cursor.execute("UPDATE portal_auditevent SET detail = '{\"erased\": true}'")
    assert AuditEvent.objects.get(pk=event.pk).detail == {"name": "Secret"}
