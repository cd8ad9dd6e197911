"""Field encryption for sensitive personal data.

Keys come from FIELD_ENCRYPTION_KEYS (Fernet keys, newest first): the first encrypts, every
key decrypts, so a new key can be put in front and `manage.py rotate_encryption_keys`
re-encrypts every stored value with it before the old key is retired.
"""

from collections.abc import Callable
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction

PREFIX = "fernet:"


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty.")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return PREFIX + fernet().encrypt(plaintext.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise ValueError("Not an encrypted value.")
    try:
        return fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An encrypted value could not be decrypted with any key in FIELD_ENCRYPTION_KEYS."
        ) from exc


class EncryptedTextField(models.TextField):
    """Text stored encrypted. It cannot be filtered or ordered on; the empty string stays empty."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_lookup(self, lookup_name):
        # Each encryption of a value differs, so only "is it set at all" can be asked.
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)


class EncryptedEmailField(EncryptedTextField):
    default_validators = list(models.EmailField.default_validators)

    def formfield(self, **kwargs):
        from django import forms

        return super().formfield(**{"form_class": forms.EmailField, **kwargs})


def encrypted_fields():
    """Every (model, [field names]) pair that holds encrypted data."""
    for model in apps.get_models():
        names = [
            f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
        ]
        if names:
            yield model, names


# Encrypted values that are not in an EncryptedTextField (a third-party model's JSON, say):
# their app registers, in its ready(), what re-encrypts them, by the model label it covers.
_other_reencryptions: dict[str, Callable[[int], int]] = {}


def register_reencryption(label: str, reencrypt: Callable[[int], int]) -> None:
    """`reencrypt(batch_size)` re-encrypts `label`'s values and returns the rows touched."""
    _other_reencryptions[label] = reencrypt


def encrypted_labels() -> list[str]:
    """What `reencrypt_all` covers, by model label."""
    return [m._meta.label for m, _ in encrypted_fields()] + sorted(_other_reencryptions)


def reencrypt_all(batch_size: int = 500) -> int:
    """Re-encrypt every stored value with the newest key; returns the number of rows touched."""
    touched = sum(reencrypt(batch_size) for reencrypt in _other_reencryptions.values())
    for model, names in encrypted_fields():
        pks = list(model._base_manager.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), batch_size):
            # Locked while rewritten, so an edit made meanwhile is never overwritten.
            with transaction.atomic():
                rows = model._base_manager.select_for_update().filter(
                    pk__in=pks[start : start + batch_size]
                )
                for row in rows.values("pk", *names):
                    pk = row.pop("pk")
                    model._base_manager.filter(pk=pk).update(**row)
                    touched += 1
    return touched
