from django.db import migrations

from portal.accounts.roles import grant

GRANTS = {"Coordinator": ["attendance.view_feedbackresponse"]}


def grant_roles(apps, schema_editor):
    grant(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("attendance", "0001_initial"), ("accounts", "0002_staff_roles")]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
