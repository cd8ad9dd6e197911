"""Attendee names and emails and purchase-order numbers become encrypted (schema; the rows
are encrypted by 0008, and the one-place rule is put back on the blind index by 0009)."""

import portal.crypto
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0006_invoice_credit"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="attendee",
            name="one_place_per_person_per_session",
        ),
        migrations.AddField(
            model_name="attendee",
            name="email_index",
            field=portal.crypto.BlindIndexField(kind="email", source="email"),
        ),
        migrations.AlterField(
            model_name="attendee",
            name="email",
            field=portal.crypto.EncryptedEmailField(),
        ),
        migrations.AlterField(
            model_name="attendee",
            name="name",
            field=portal.crypto.EncryptedTextField(max_length=150),
        ),
        migrations.AlterField(
            model_name="booking",
            name="purchase_order",
            field=portal.crypto.EncryptedTextField(
                blank=True, max_length=50, verbose_name="purchase-order number"
            ),
        ),
    ]
