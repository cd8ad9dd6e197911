"""Coordinators run cohorts in their localities; Programme facilitators see the cohorts
they facilitate and take their registers. Neither gets Django's model permissions on
programmes: the programme screens are the only way in, and they are scoped."""

from django.db import migrations

from portal.accounts.roles import grant, revoke

GRANTS = {
    "Coordinator": ["programmes.coordinate_programmes"],
    "Programme facilitator": ["programmes.facilitate_programmes"],
}


def forwards(apps, schema_editor):
    grant(apps, GRANTS)


def backwards(apps, schema_editor):
    revoke(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0001_programmes_cohorts_enrolments_check_ins"),
        ("accounts", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
