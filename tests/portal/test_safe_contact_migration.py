"""accounts 0006: the account's contact preferences become safe-contact plans, without loss
(and back again). The data functions are tested directly: migrating the test database back
and forth takes minutes."""

import importlib

import pytest

migration = importlib.import_module("portal.accounts.migrations.0006_contact_preferences_to_plans")

CHOICES = [
    {"email_is_safe": e, "sms_is_safe": s, "discreet_mode": d}
    for e in (True, False)
    for s in (True, False)
    for d in (True, False)
]


@pytest.mark.parametrize("preferences", CHOICES)
def test_preferences_become_a_plan_and_come_back_unchanged(preferences):
    fields = migration.plan_fields({"pk": 1, **preferences})
    if preferences == migration.DEFAULTS:
        assert fields is None  # the defaults are a plan's: no plan needed
        return
    assert fields["service_may_be_named"] is not preferences["discreet_mode"]
    assert fields["email_is_safe"] is preferences["email_is_safe"]
    assert fields["text_is_safe"] is preferences["sms_is_safe"]
    assert migration.preferences_from(fields) == preferences


def test_a_plan_without_one_of_its_fields_names_no_default_silently():
    with pytest.raises(KeyError):
        migration.plan_fields({"email_is_safe": False})
