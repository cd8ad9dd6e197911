"""Commissioners see the service's figures (the reports), not individual records.

The reports need only `reports.view_reports`; bookings, payments and refunds name people, so
the Commissioner role no longer views them. Wagtail's default "Editors" group is removed when
nobody is in it: the portal's roles are its own groups ("Editor" writes the public site), and
a second, similarly named group with Wagtail's broad defaults invites the wrong choice.
Wagtail's "Moderators" group stays: it signs pages off in the approval workflow.
"""

from django.db import migrations

from portal.accounts.roles import revoke

COMMISSIONER_REVOKED = ["courses.view_booking", "payments.view_payment", "payments.view_refund"]


def forwards(apps, schema_editor):
    revoke(apps, {"Commissioner": COMMISSIONER_REVOKED})
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name="Editors", user__isnull=True).delete()


def backwards(apps, schema_editor):
    from portal.accounts.roles import grant

    grant(apps, {"Commissioner": COMMISSIONER_REVOKED})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_coordinators_manage_organisations"),
        ("courses", "0002_role_permissions"),
        ("payments", "0002_staff_can_view_payments"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
