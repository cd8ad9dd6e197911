"""The calendar feed tokens now live in portal (copied there by portal 0009)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('courses', '0011_sessions_use_portal_localities'),
        ('portal', '0009_calendar_feed_tokens_from_courses'),
    ]

    operations = [
        migrations.DeleteModel(
            name='CalendarFeedToken',
        ),
    ]
