"""Coordinators triage referrals in their localities; the new Community worker role works on
the referrals allocated to it (and opens the staff area). Neither gets Django's model
permissions on referrals: the referral screens are the only way in, and they are scoped."""

from django.db import migrations

from portal.accounts.roles import ADMIN_ACCESS, grant, revoke

GRANTS = {
    "Coordinator": ["referrals.triage_referral", "referrals.work_on_referral"],
    "Community worker": [ADMIN_ACCESS, "referrals.work_on_referral"],
}


def forwards(apps, schema_editor):
    grant(apps, GRANTS)


def backwards(apps, schema_editor):
    revoke(apps, {"Coordinator": GRANTS["Coordinator"]})
    apps.get_model("auth", "Group").objects.filter(name="Community worker").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0001_referrals_contact_attempts_notes_handovers"),
        ("accounts", "0002_staff_roles"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
