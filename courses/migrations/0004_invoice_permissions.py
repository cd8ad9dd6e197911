from django.db import migrations

from portal.accounts.roles import grant

GRANTS = {
    "Coordinator": ["courses.view_invoices"],
    "Commissioner": ["courses.view_invoices"],
}


def grant_roles(apps, schema_editor):
    grant(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("courses", "0003_booking_invoice")]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
