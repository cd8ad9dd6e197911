"""Encrypt the authenticator secrets that were stored in plain text (TOTP keys, recovery-code
seeds): from now on the MFA adapter encrypts them with the field keys as they are written."""

from django.db import migrations

from portal import crypto

SECRET_KEYS = ("secret", "seed")
SECRET_LISTS = ("migrated_codes",)


def _map(data, change):
    if not isinstance(data, dict):
        return data
    data = dict(data)
    for key in SECRET_KEYS:
        if isinstance(data.get(key), str):
            data[key] = change(data[key])
    for key in SECRET_LISTS:
        if isinstance(data.get(key), list):
            data[key] = [change(v) if isinstance(v, str) else v for v in data[key]]
    return data


def _encrypt(value: str) -> str:
    return value if value.startswith(crypto.PREFIX) else crypto.encrypt(value)


def _decrypt(value: str) -> str:
    return crypto.decrypt(value) if value.startswith(crypto.PREFIX) else value


def _rewrite(apps, change):
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.order_by("pk").iterator():
        data = _map(authenticator.data, change)
        if data != authenticator.data:
            Authenticator.objects.filter(pk=authenticator.pk).update(data=data)


def encrypt_secrets(apps, schema_editor):
    _rewrite(apps, _encrypt)


def decrypt_secrets(apps, schema_editor):
    _rewrite(apps, _decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_commissioners_see_figures_not_records"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_secrets, decrypt_secrets)]
