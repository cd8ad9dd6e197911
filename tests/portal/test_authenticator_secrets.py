"""Authenticator secrets (TOTP keys, recovery-code seeds) are stored encrypted, rotate with the
field keys, and the rows stored before were encrypted by a migration."""

import importlib
import io
import json

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command

from portal import crypto
from tests.factories import UserFactory
from tests.staff import STAFF_TOTP_SECRET, current_code

pytestmark = pytest.mark.django_db

migration = importlib.import_module("portal.accounts.migrations.0005_encrypt_authenticator_secrets")


def _stored(user, kind) -> dict:
    return Authenticator.objects.filter(user=user, type=kind).values_list("data", flat=True).get()


@pytest.fixture
def enrolled():
    user = UserFactory()
    TOTP.activate(user, STAFF_TOTP_SECRET)
    codes = RecoveryCodes.activate(user).generate_codes()
    return user, codes


def _still_work(user, codes) -> bool:
    totp = TOTP(Authenticator.objects.get(user=user, type="totp"))
    recovery = RecoveryCodes(Authenticator.objects.get(user=user, type="recovery_codes"))
    return totp.validate_code(current_code()) and recovery.generate_codes() == codes


def test_authenticator_secrets_are_stored_encrypted(enrolled):
    user, codes = enrolled
    totp, recovery = _stored(user, "totp"), _stored(user, "recovery_codes")
    assert totp["secret"].startswith(crypto.PREFIX)
    assert recovery["seed"].startswith(crypto.PREFIX)
    assert STAFF_TOTP_SECRET not in json.dumps(totp)
    assert _still_work(user, codes)


def test_key_rotation_re_encrypts_authenticator_secrets(settings, enrolled):
    user, codes = enrolled
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    before = _stored(user, "totp")["secret"]
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    out = io.StringIO()
    call_command("rotate_encryption_keys", stdout=out)
    assert "mfa.Authenticator" in out.getvalue()
    assert _stored(user, "totp")["secret"] != before
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key retired
    assert _still_work(user, codes)


def test_rotation_says_it_covers_authenticators():
    assert "mfa.Authenticator" in crypto.encrypted_labels()


def test_the_migration_encrypts_secrets_stored_in_plain_text_and_can_be_undone(enrolled):
    user, _ = enrolled
    seed = crypto.decrypt(_stored(user, "recovery_codes")["seed"])
    Authenticator.objects.filter(user=user, type="totp").update(data={"secret": STAFF_TOTP_SECRET})
    Authenticator.objects.filter(user=user, type="recovery_codes").update(
        data={"seed": seed, "used_mask": 0, "migrated_codes": ["12345678"]}
    )
    migration.encrypt_secrets(apps, None)
    totp, recovery = _stored(user, "totp"), _stored(user, "recovery_codes")
    assert crypto.decrypt(totp["secret"]) == STAFF_TOTP_SECRET
    assert crypto.decrypt(recovery["seed"]) == seed
    assert [crypto.decrypt(c) for c in recovery["migrated_codes"]] == ["12345678"]
    assert recovery["used_mask"] == 0
    migration.encrypt_secrets(apps, None)  # run twice: nothing is encrypted twice
    assert crypto.decrypt(_stored(user, "totp")["secret"]) == STAFF_TOTP_SECRET
    assert TOTP(Authenticator.objects.get(user=user, type="totp")).validate_code(current_code())
    recovery = RecoveryCodes(Authenticator.objects.get(user=user, type="recovery_codes"))
    assert recovery.get_unused_codes() == ["12345678"]

    migration.decrypt_secrets(apps, None)
    assert _stored(user, "totp") == {"secret": STAFF_TOTP_SECRET}
