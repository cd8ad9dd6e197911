from django.db import migrations

from portal.accounts.roles import grant

GRANTS = {
    "Coordinator": [
        "courses.add_session",
        "courses.change_session",
        "courses.view_session",
        "courses.view_booking",
        "courses.change_booking",
        "courses.view_attendee",
        "courses.add_topic",
        "courses.change_topic",
    ],
    "Trainer": ["courses.view_session", "courses.view_booking", "courses.view_attendee"],
    "Editor": ["courses.add_topic", "courses.change_topic"],
    "Commissioner": ["courses.view_session", "courses.view_booking"],
}


def grant_roles(apps, schema_editor):
    grant(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_initial"), ("accounts", "0002_staff_roles")]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
