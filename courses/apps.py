from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_schedules(sender, **kwargs):
    from portal.schedules import ensure_schedule

    ensure_schedule("Send course reminders", "courses.services.send_reminders", 30)


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Training courses"

    def ready(self):
        from courses import account, selectors
        from courses.payments import PURPOSE, BookingPayments
        from portal import calendars, scope
        from portal.accounts import sections
        from portal.accounts.models import Organisation
        from portal.contact.models import SafeContactPlan
        from portal.payments import services as payments
        from portal.payments.models import Payment

        post_migrate.connect(create_schedules, sender=self)
        sections.register(account.my_bookings)
        sections.register(account.organisation_bookings)
        calendars.register_feed_provider(account.CoursePlaces())
        payments.register_handler(PURPOSE, BookingPayments())
        scope.register_rule(Payment, selectors.payments_rule)
        scope.register_rule(Organisation, selectors.organisations_rule)
        scope.register_rule(SafeContactPlan, selectors.safe_contact_plans_rule)
