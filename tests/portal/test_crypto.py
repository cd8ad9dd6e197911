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


def test_a_blind_index_normalises_the_value_and_never_holds_it():
    from portal.crypto import blind_index

    digest = blind_index("  Sam.Jones@Example.ORG ")
    assert digest == blind_index("sam.jones@example.org")
    assert len(digest) == 64 and "sam" not in digest
    assert blind_index("") == blind_index("   ") == ""
    assert blind_index("07700 900123", "phone") == blind_index("+44 7700 900123", "phone")
    # The kind is signed too: the same text as an email and as a phone number never match.
    assert blind_index("0123", "email") != blind_index("0123", "phone")


def test_a_blind_index_depends_on_the_key(settings):
    from portal.crypto import blind_index

    before = blind_index("sam@example.org")
    settings.BLIND_INDEX_KEYS = ["another-secret-that-is-long-enough-123456"]
    assert blind_index("sam@example.org") != before


def test_blind_lookup_asks_for_the_value_under_every_key_newest_first(settings):
    from portal.crypto import blind_index, blind_lookup

    old = blind_index("sam@example.org")
    settings.BLIND_INDEX_KEYS = [
        "a-new-blind-index-secret-0123456789abcdef",
        settings.BLIND_INDEX_KEYS[0],
    ]
    new = blind_index("sam@example.org")
    assert blind_lookup("attendees__email", "Sam@Example.org") == {
        "attendees__email_index__in": [new, old]
    }
    assert blind_lookup("email") == {"email_index__in": []}
    with pytest.raises(ValueError):
        blind_lookup("name", "Sam")


@pytest.mark.parametrize(
    "setting, keys, message",
    [
        ("FIELD_ENCRYPTION_KEYS", ["not-a-fernet-key"], "key 1 of 1 is not a valid Fernet key"),
        ("FIELD_ENCRYPTION_KEYS", [], "FIELD_ENCRYPTION_KEYS is empty"),
        ("BLIND_INDEX_KEYS", ["k3y-9"], "key 1 of 1 is too short"),
        ("BLIND_INDEX_KEYS", ["a" * 40], "too plain"),
    ],
)
def test_a_bad_key_fails_with_a_message_naming_the_setting_not_the_key(
    settings, setting, keys, message
):
    from django.core.exceptions import ImproperlyConfigured

    from portal.crypto import validate_blind_index_keys, validate_fernet_keys

    validate = (
        validate_fernet_keys if setting == "FIELD_ENCRYPTION_KEYS" else validate_blind_index_keys
    )
    with pytest.raises(ImproperlyConfigured, match=message) as raised:
        validate(setting, keys)
    assert all(key not in str(raised.value) for key in keys)
