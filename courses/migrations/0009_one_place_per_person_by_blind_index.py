"""The one-place-per-person rule again, now on the attendee email's blind index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("courses", "0008_encrypt_existing_attendees_and_purchase_orders")]

    operations = [
        migrations.AddConstraint(
            model_name="attendee",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "active")),
                fields=("session", "email_index"),
                name="one_place_per_person_per_session",
            ),
        ),
    ]
