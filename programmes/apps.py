from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Recovery programmes"

    def ready(self):
        from portal import calendars, scope
        from portal.accounts import sections
        from portal.contact.models import SafeContactPlan
        from programmes import account, reports, selectors, signals  # noqa: F401 - connects receivers
        from referrals.reports import register_service_start

        sections.register(account.my_programmes)
        calendars.register_feed_provider(account.ProgrammeWeeks())
        scope.register_rule(SafeContactPlan, selectors.safe_contact_plans_rule)
        register_service_start(reports.enrolment_starts)
