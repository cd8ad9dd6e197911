from django.apps import AppConfig


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
