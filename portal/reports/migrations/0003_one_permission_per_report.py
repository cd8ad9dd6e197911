"""The one permission for every report goes: each report now declares its own (the training
ones come with courses 0012, granted before this one takes the old one away)."""

from django.db import migrations

from portal.accounts.roles import grant


def remove_the_shared_permission(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="reports", codename="view_reports").delete()


def restore_the_shared_permission(apps, schema_editor):
    grant(
        apps,
        {"Commissioner": ["reports.view_reports"], "Coordinator": ["reports.view_reports"]},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_commissioners_and_coordinators_see_reports"),
        ("courses", "0013_report_permissions"),
    ]

    # The permission row goes first, so that going back the model declares it again before
    # it is granted again.
    operations = [
        migrations.RunPython(remove_the_shared_permission, restore_the_shared_permission),
        migrations.AlterModelOptions(
            name="servicereports",
            options={"default_permissions": (), "managed": False},
        ),
    ]
