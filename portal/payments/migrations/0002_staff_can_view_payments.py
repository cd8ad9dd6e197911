from django.db import migrations

from portal.accounts.roles import grant

VIEW_PAYMENTS = ["payments.view_payment", "payments.view_refund"]


def grant_view(apps, schema_editor):
    grant(apps, {"Coordinator": VIEW_PAYMENTS, "Commissioner": VIEW_PAYMENTS})


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0001_initial"),
        ("accounts", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(grant_view, migrations.RunPython.noop)]
