"""Encrypt attendee names and emails and purchase-order numbers stored before 0007, and fill
the attendees' email blind index. Reversible: the reverse writes them back as plain text."""

from django.db import migrations

from portal.crypto import decrypt_to_plaintext_rows, encrypt_plaintext_rows

FIELDS = {"attendee": ["name", "email"], "booking": ["purchase_order"]}


def encrypt(apps, schema_editor):
    for model_name, names in FIELDS.items():
        encrypt_plaintext_rows(apps.get_model("courses", model_name), names)


def decrypt(apps, schema_editor):
    for model_name, names in FIELDS.items():
        decrypt_to_plaintext_rows(apps.get_model("courses", model_name), names)


class Migration(migrations.Migration):
    dependencies = [("courses", "0007_encrypt_attendees_and_purchase_orders")]

    operations = [migrations.RunPython(encrypt, decrypt)]
