"""Who on the staff booked for the booker (by phone), and when."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0009_one_place_per_person_by_blind_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="booking",
            name="booked_by_staff",
            field=models.ForeignKey(
                blank=True,
                help_text="The member of staff who booked for the booker (by phone).",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="course_bookings_taken",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="booking",
            name="booked_by_staff_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
