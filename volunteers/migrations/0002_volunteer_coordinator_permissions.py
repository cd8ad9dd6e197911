from django.db import migrations

from portal.accounts.roles import grant

# Volunteer coordinators see and work applications (scoped to their localities by
# volunteers.selectors) and alone read applicants' lived experience.
GRANTS = {
    "Volunteer coordinator": [
        "volunteers.view_application",
        "volunteers.change_application",
        "volunteers.view_lived_experience",
    ],
}


def grant_roles(apps, schema_editor):
    grant(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0001_initial"), ("accounts", "0002_staff_roles")]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
