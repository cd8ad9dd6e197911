from django.db import migrations

from portal.accounts.roles import grant


def grant_organisation_permissions(apps, schema_editor):
    grant(
        apps,
        {
            "Coordinator": [
                "accounts.add_organisation",
                "accounts.change_organisation",
                "accounts.view_organisation",
            ],
            "Commissioner": ["accounts.view_organisation"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_staff_roles")]
    operations = [migrations.RunPython(grant_organisation_permissions, migrations.RunPython.noop)]
