"""The private calendar feed's token moves from courses to portal (portal.calendars).

Every token is copied as it is, so every address a person subscribed to keeps working (the
old /training/calendar/<token>.ics path redirects to the new one); courses 0012 then drops
its table. Backwards, the tokens are copied back before this table goes.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

COLUMNS = "user_id, token, created_at"


def _copy(apps, schema_editor, source, target):
    # One INSERT ... SELECT: created_at kept as it is (a save would stamp it anew), ids new.
    quote = schema_editor.quote_name
    source_table = apps.get_model(*source)._meta.db_table
    target_table = apps.get_model(*target)._meta.db_table
    schema_editor.execute(
        f"INSERT INTO {quote(target_table)} ({COLUMNS}) "
        f"SELECT {COLUMNS} FROM {quote(source_table)}"
    )


def copy_from_courses(apps, schema_editor):
    _copy(apps, schema_editor, ("courses", "CalendarFeedToken"), ("portal", "CalendarFeedToken"))


def copy_back_to_courses(apps, schema_editor):
    _copy(apps, schema_editor, ("portal", "CalendarFeedToken"), ("courses", "CalendarFeedToken"))


class Migration(migrations.Migration):

    dependencies = [
        ('courses', '0011_sessions_use_portal_localities'),
        ('portal', '0008_localities_and_staff_assignments'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CalendarFeedToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(max_length=64, unique=True)),
                ('created_at', models.DateTimeField(auto_now=True)),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='calendar_feed', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.RunPython(copy_from_courses, copy_back_to_courses),
    ]
