"""Field encryption for personal data, and blind indexes to find encrypted values.

Encryption. Keys come from FIELD_ENCRYPTION_KEYS (Fernet keys, newest first): the first
encrypts, every key decrypts. `EncryptedTextField` (and `EncryptedEmailField`) store
"fernet:<token>"; the empty string stays empty (so "is it set" stays cheap). Each encryption
of a value differs, so an encrypted field refuses every lookup but `isnull`: it cannot be
filtered, ordered, counted distinct or searched in the database. Sort in Python after
decrypting, or look it up through a blind index.

Blind index. `BlindIndexField(source="email", kind="email")` holds HMAC-SHA256 (hex) of the
source field's value, normalised for its kind (`NORMALISERS`: an email is stripped and
lower-cased; a phone number keeps its digits, +44 read as 0; an identity, a name with a
date of birth, ignores case and spacing). The HMAC key is derived from
BLIND_INDEX_KEYS (newest first), and the kind is part of what is signed, so an email and a
phone number never share an index. Contract:

- The index is recomputed in `pre_save` whenever the row is saved or bulk-created.
  `QuerySet.update(source=...)` skips `pre_save`: set the index in the same update
  (`**index_values(Model, source=value)`), or save the instance; a
  `save(update_fields=[...])` that names the source must name its index too.
- Look up with `Model.objects.filter(**blind_lookup("email", value))` (a path through
  relations works: `blind_lookup("attendees__email", value)`, and several values match any).
  It asks for the digest under every key in BLIND_INDEX_KEYS, so rows written before a
  rotation are still found. By convention the index of field `x` is named `x_index`.
- The index reveals which rows share a value (that is its purpose: de-duplicating, counting
  distinct people), never the value itself without the key. A unique constraint on it holds
  only among rows indexed with the same key: rotation recomputes every index with the
  newest key, so uniqueness is whole again once `rotate_encryption_keys` has run.

Rotation. Put a new key first in FIELD_ENCRYPTION_KEYS and/or BLIND_INDEX_KEYS, deploy, run
`manage.py rotate_encryption_keys` (re-encrypts every encrypted field with the newest key and
recomputes every blind index with the newest index key), then drop the old keys.

Migrating a plain-text column to an encrypted one: alter the field (both are text in the
database), then `RunPython` with `encrypt_plaintext_rows(model, [names])`, whose reverse is
`decrypt_to_plaintext_rows`.
"""

import hashlib
import hmac
import re
from collections.abc import Callable
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Cast

PREFIX = "fernet:"
FERNET_KEY_HELP = (
    'Generate one with: python -c "from cryptography.fernet import Fernet; '
    'print(Fernet.generate_key().decode())"'
)
BLIND_INDEX_KEY_MIN_LENGTH = 32


def validate_fernet_keys(name: str, keys: list[str]) -> None:
    """Raise ImproperlyConfigured, naming the setting and the key's position (never the key),
    unless there is at least one key and each is a Fernet key."""
    if not keys:
        raise ImproperlyConfigured(f"{name} is empty. {FERNET_KEY_HELP}")
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except (ValueError, TypeError) as exc:
            raise ImproperlyConfigured(
                f"{name}: key {position} of {len(keys)} is not a valid Fernet key "
                f"(32 bytes, URL-safe base64: 44 characters). {FERNET_KEY_HELP}"
            ) from exc


def validate_blind_index_keys(name: str, keys: list[str]) -> None:
    if not keys:
        raise ImproperlyConfigured(f"{name} is empty.")
    for position, key in enumerate(keys, start=1):
        if len(key) < BLIND_INDEX_KEY_MIN_LENGTH or len(set(key)) < 10:
            raise ImproperlyConfigured(
                f"{name}: key {position} of {len(keys)} is too short or too plain "
                f"(at least {BLIND_INDEX_KEY_MIN_LENGTH} random characters). Generate one "
                'with: python -c "import secrets; print(secrets.token_urlsafe(32))"'
            )


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    validate_fernet_keys("FIELD_ENCRYPTION_KEYS", list(keys))
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


def normalise_email(value: str) -> str:
    return value.strip().lower()


def normalise_phone(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    if value.strip().startswith("+44") or digits.startswith("0044"):
        digits = "0" + digits.removeprefix("00").removeprefix("44")
    return digits


def normalise_identity(value: str) -> str:
    """A name with a date of birth ("name|YYYY-MM-DD"): case and spacing do not count."""
    return " ".join(value.casefold().split())


NORMALISERS: dict[str, Callable[[str], str]] = {
    "email": normalise_email,
    "phone": normalise_phone,
    "identity": normalise_identity,
}


@lru_cache(maxsize=4)
def _index_keys(keys: tuple[str, ...]) -> tuple[bytes, ...]:
    validate_blind_index_keys("BLIND_INDEX_KEYS", list(keys))
    # A key of its own per purpose, derived from the configured secret.
    return tuple(
        hmac.new(key.encode(), b"portal blind index v1", hashlib.sha256).digest() for key in keys
    )


def index_keys() -> tuple[bytes, ...]:
    return _index_keys(tuple(settings.BLIND_INDEX_KEYS))


def _digest(key: bytes, kind: str, normalised: str) -> str:
    return hmac.new(key, f"{kind}\x00{normalised}".encode(), hashlib.sha256).hexdigest()


def blind_index(value: str | None, kind: str = "email") -> str:
    """The index of `value` under the newest key; "" for an empty value (nothing to find)."""
    normalised = NORMALISERS[kind](value or "")
    return _digest(index_keys()[0], kind, normalised) if normalised else ""


def blind_indexes(value: str | None, kind: str = "email") -> list[str]:
    """The index of `value` under every key, newest first: what a lookup must accept."""
    normalised = NORMALISERS[kind](value or "")
    return [_digest(key, kind, normalised) for key in index_keys()] if normalised else []


def blind_lookup(path: str, *values: str, kind: str | None = None) -> dict[str, list[str]]:
    """Filter keyword arguments matching rows whose `path` (an encrypted field with a blind
    index named `<field>_index`) equals any of `values`, under any index key. The kind
    defaults to the field's last name part when that names a normaliser ("email", "phone")."""
    kind = kind or path.rsplit("__", 1)[-1]
    if kind not in NORMALISERS:
        raise ValueError(f"Say which kind of value {path} holds: one of {sorted(NORMALISERS)}.")
    digests = [d for value in values for d in blind_indexes(value, kind)]
    return {f"{path}_index__in": digests}


class BlindIndexField(models.CharField):
    """The keyed blind index of another field on the same model (see the module docstring).

    Not edited in forms; an empty source gives an empty index."""

    def __init__(self, *args, source: str, kind: str = "email", **kwargs):
        if kind not in NORMALISERS:
            raise ValueError(f"Unknown blind index kind {kind!r}.")
        self.source = source
        self.kind = kind
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, kind=self.kind)
        for default in ("max_length", "blank", "editable", "db_index"):
            kwargs.pop(default, None)
        if self.max_length != 64:
            kwargs["max_length"] = self.max_length
        return name, path, args, kwargs

    def index_of(self, instance) -> str:
        return blind_index(getattr(instance, self.source), self.kind)

    def pre_save(self, model_instance, add):
        digest = self.index_of(model_instance)
        setattr(model_instance, self.attname, digest)
        return digest


def blind_index_fields(model) -> list[BlindIndexField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]


def index_values(model, **sources: str) -> dict[str, str]:
    """For `QuerySet.update`: the index columns to write with these source values."""
    return {
        field.attname: blind_index(sources[field.source], field.kind)
        for field in blind_index_fields(model)
        if field.source in sources
    }


def encrypted_fields():
    """Every (model, [field names]) pair that holds encrypted data or a blind index."""
    for model in apps.get_models():
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, EncryptedTextField | BlindIndexField)
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
    """Re-encrypt every stored value with the newest key and recompute every blind index with
    the newest index key; returns the number of rows touched."""
    touched = sum(reencrypt(batch_size) for reencrypt in _other_reencryptions.values())
    for model, names in encrypted_fields():
        indexes = blind_index_fields(model)
        encrypted = [n for n in names if n not in {f.attname for f in indexes}]
        sources = {f.source for f in indexes} - set(encrypted)
        pks = list(model._base_manager.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), batch_size):
            # Locked while rewritten, so an edit made meanwhile is never overwritten.
            with transaction.atomic():
                rows = model._base_manager.select_for_update().filter(
                    pk__in=pks[start : start + batch_size]
                )
                for row in rows.values("pk", *encrypted, *sources):
                    pk = row.pop("pk")
                    changes = {name: row[name] for name in encrypted}
                    changes.update(index_values(model, **row))
                    model._base_manager.filter(pk=pk).update(**changes)
                    touched += 1
    return touched


def _stored(name: str) -> Cast:
    """The column as stored, read past the field's decryption."""
    return Cast(name, output_field=models.TextField())


def encrypt_plaintext_rows(model, names: list[str]) -> int:
    """For a data migration: encrypt the values of `names` still stored as plain text, and
    fill the blind indexes computed from them. Idempotent; returns the rows changed."""
    stored = {f"stored_{name}": _stored(name) for name in names}
    changed = 0
    for row in list(model._base_manager.order_by("pk").values("pk", **stored)):
        plain = {n: row[f"stored_{n}"] for n in names}
        plain = {n: v for n, v in plain.items() if v and not v.startswith(PREFIX)}
        if plain:
            model._base_manager.filter(pk=row["pk"]).update(**plain, **index_values(model, **plain))
            changed += 1
    return changed


def decrypt_to_plaintext_rows(model, names: list[str]) -> int:
    """The reverse of `encrypt_plaintext_rows`: write the values back as plain text."""
    rows = list(model._base_manager.order_by("pk").values_list("pk", *names))
    for pk, *values in rows:
        model._base_manager.filter(pk=pk).update(
            **{
                name: Value(value or "", output_field=models.TextField())
                for name, value in zip(names, values, strict=True)
            }
        )
    return len(rows)
