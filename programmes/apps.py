from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Recovery programmes"

    def ready(self):
        from portal import calendars, scope
        from portal.accounts import sections
        from portal.contact.models import SafeContactPlan
        from portal.outcomes.registry import register_subject
        from programmes import account, outcomes, selectors, signals  # noqa: F401 - receivers

        sections.register(account.my_programmes)
        calendars.register_feed_provider(account.ProgrammeWeeks())
        scope.register_rule(SafeContactPlan, selectors.safe_contact_plans_rule)
        register_subject(outcomes.EnrolmentOutcomes())
