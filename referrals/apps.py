from django.apps import AppConfig
from django.db.models.signals import post_migrate

DAY_MINUTES = 24 * 60


def create_schedules(sender, **kwargs):
    from portal.schedules import ensure_schedule

    ensure_schedule(
        "Anonymise finished referrals",
        "referrals.retention.anonymise_finished_referrals",
        DAY_MINUTES,
    )


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals"

    def ready(self):
        from portal.accounts import sections
        from portal.contact import selectors

        from . import account
        from .models import Referral

        # A referral's plan is seen through the referral's own scoped screens only.
        selectors.keep_elsewhere(lambda: Referral.objects.values("plan_id"))
        sections.register(account.referrals_made)
        post_migrate.connect(create_schedules, sender=self)
