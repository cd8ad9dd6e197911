import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from portal.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def raw_phone(user) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM accounts_user WHERE id = %s", [user.pk])
        return cursor.fetchone()[0]


def test_sensitive_fields_are_encrypted_at_rest():
    user = UserFactory(phone="07700 900123")
    stored = raw_phone(user)
    assert "07700" not in stored
    assert stored.startswith("fernet:")
    assert User.objects.get(pk=user.pk).phone == "07700 900123"


def test_an_empty_value_stays_empty():
    user = UserFactory(phone="")
    assert raw_phone(user) == ""


def test_key_rotation_reads_old_values_and_rewrites_them_with_the_new_key(settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    user = UserFactory(phone="07700 900456")
    before = raw_phone(user)
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    assert User.objects.get(pk=user.pk).phone == "07700 900456"

    call_command("rotate_encryption_keys")

    after = raw_phone(user)
    assert after != before
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key retired
    assert User.objects.get(pk=user.pk).phone == "07700 900456"


def test_a_value_encrypted_with_an_unknown_key_fails_loudly(settings):
    user = UserFactory(phone="07700 900789")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        User.objects.get(pk=user.pk)


def test_encrypted_fields_refuse_lookups_that_could_never_match():
    from django.core.exceptions import FieldError

    UserFactory(phone="07700 900123")
    with pytest.raises(FieldError):
        list(User.objects.filter(phone="07700 900123"))
    assert User.objects.filter(phone__isnull=False).count() == 1
