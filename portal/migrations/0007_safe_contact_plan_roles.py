"""The roles that contact people see and keep safe-contact plans: coordinators, programme
facilitators and volunteer coordinators (and superusers). Trainers, editors and
commissioners do not: they contact nobody through the portal."""

from django.db import migrations

from portal.accounts.roles import grant, revoke

PLAN_ROLES = ("Coordinator", "Programme facilitator", "Volunteer coordinator")
PERMISSIONS = [
    "portal.view_safecontactplan",
    "portal.add_safecontactplan",
    "portal.change_safecontactplan",
]


def forwards(apps, schema_editor):
    grant(apps, {role: PERMISSIONS for role in PLAN_ROLES})


def backwards(apps, schema_editor):
    revoke(apps, {role: PERMISSIONS for role in PLAN_ROLES})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_staff_roles"),
        ("portal", "0006_safe_contact_plan"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
