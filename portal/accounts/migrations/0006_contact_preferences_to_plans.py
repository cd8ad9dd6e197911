"""The account's contact preferences become the person's safe-contact plan.

Every account whose choices differ from the defaults (email unsafe, texts unsafe, discreet)
gets a plan saying the same: email and text safe as they were, the service not to be named
when they asked for discreet messages. Accounts on the defaults need no plan (the defaults
are a plan's). Backwards, the plans' choices go back onto the accounts.
"""

from django.db import migrations


def preferences_to_plans(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    SafeContactPlan = apps.get_model("portal", "SafeContactPlan")
    chose = User.objects.filter(email_is_safe=False) | User.objects.filter(sms_is_safe=False)
    chose |= User.objects.filter(discreet_mode=True)
    for user in chose.filter(safe_contact_plan__isnull=True).order_by("pk"):
        SafeContactPlan.objects.create(
            user=user,
            email_is_safe=user.email_is_safe,
            text_is_safe=user.sms_is_safe,
            service_may_be_named=not user.discreet_mode,
        )


def plans_to_preferences(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    SafeContactPlan = apps.get_model("portal", "SafeContactPlan")
    for plan in SafeContactPlan.objects.filter(user__isnull=False):
        User.objects.filter(pk=plan.user_id).update(
            email_is_safe=plan.email_is_safe,
            sms_is_safe=plan.text_is_safe,
            discreet_mode=not plan.service_may_be_named,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_encrypt_authenticator_secrets"),
        ("portal", "0006_safe_contact_plan"),
    ]

    operations = [migrations.RunPython(preferences_to_plans, plans_to_preferences)]
