from django.apps import AppConfig
from django.db.models.signals import post_migrate

DAY_MINUTES = 24 * 60


def create_schedules(sender, **kwargs):
    from portal.schedules import ensure_schedule

    ensure_schedule(
        "Anonymise ended programme places",
        "programmes.retention.anonymise_ended_enrolments",
        DAY_MINUTES,
    )


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Recovery programmes"

    def ready(self):
        from portal import calendars, scope
        from portal.accounts import sections
        from portal.contact.models import SafeContactPlan
        from portal.outcomes.registry import register_subject
        from programmes import account, outcomes, reports, selectors, signals  # noqa: F401 - receivers
        from referrals.reports import register_service_start
        from referrals.subject_access import register_related

        from . import subject_access

        sections.register(account.my_programmes)
        calendars.register_feed_provider(account.ProgrammeWeeks())
        scope.register_rule(SafeContactPlan, selectors.safe_contact_plans_rule)
        register_subject(outcomes.EnrolmentOutcomes())
        register_service_start(reports.enrolment_starts)
        register_related(subject_access.RELATED)
        post_migrate.connect(create_schedules, sender=self)
