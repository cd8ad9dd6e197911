"""The account's contact preferences become the person's safe-contact plan.

Every account whose choices differ from the defaults (email unsafe, texts unsafe, discreet)
gets a plan saying the same: email and text safe as they were, the service not to be named
when they asked for discreet messages. Accounts on the defaults need no plan (the defaults
are a plan's). Backwards, the plans' choices go back onto the accounts.
"""

from django.db import migrations

PREFERENCES = ("email_is_safe", "sms_is_safe", "discreet_mode")
DEFAULTS = {"email_is_safe": True, "sms_is_safe": True, "discreet_mode": False}


def plan_fields(preferences: dict) -> dict | None:
    """The plan for an account's preferences; None when they are the defaults."""
    if {name: preferences[name] for name in PREFERENCES} == DEFAULTS:
        return None
    return {
        "email_is_safe": preferences["email_is_safe"],
        "text_is_safe": preferences["sms_is_safe"],
        "service_may_be_named": not preferences["discreet_mode"],
    }


def preferences_from(plan: dict) -> dict:
    return {
        "email_is_safe": plan["email_is_safe"],
        "sms_is_safe": plan["text_is_safe"],
        "discreet_mode": not plan["service_may_be_named"],
    }


def preferences_to_plans(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    SafeContactPlan = apps.get_model("portal", "SafeContactPlan")
    accounts = User.objects.filter(safe_contact_plan__isnull=True).order_by("pk")
    for row in accounts.values("pk", *PREFERENCES):
        fields = plan_fields(row)
        if fields is not None:
            SafeContactPlan.objects.create(user_id=row["pk"], **fields)


def plans_to_preferences(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    SafeContactPlan = apps.get_model("portal", "SafeContactPlan")
    plans = SafeContactPlan.objects.filter(user__isnull=False)
    for plan in plans.values("user_id", "email_is_safe", "text_is_safe", "service_may_be_named"):
        User.objects.filter(pk=plan["user_id"]).update(**preferences_from(plan))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_encrypt_authenticator_secrets"),
        ("portal", "0006_safe_contact_plan"),
    ]

    operations = [migrations.RunPython(preferences_to_plans, plans_to_preferences)]
