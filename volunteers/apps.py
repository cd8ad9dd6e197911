from django.apps import AppConfig
from django.db.models.signals import post_migrate

DAY_MINUTES = 24 * 60


def create_schedules(sender, **kwargs):
    from portal.schedules import ensure_schedule

    ensure_schedule(
        "Chase volunteer references", "volunteers.services.chase_references", DAY_MINUTES
    )
    ensure_schedule(
        "Remind about volunteer DBS renewals",
        "volunteers.services.dbs_renewal_reminders",
        DAY_MINUTES,
    )
    ensure_schedule(
        "Anonymise closed volunteer applications",
        "volunteers.services.anonymise_closed_applications",
        DAY_MINUTES,
    )
    ensure_schedule(
        "Remind volunteers of their shifts", "volunteers.services.shifts.send_reminders", 30
    )


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = "Volunteers"

    def ready(self):
        from portal import calendars
        from portal.accounts import sections
        from volunteers import account, signals  # noqa: F401 - connects the register hook
        from volunteers.services.shift_notices import ShiftPlaces

        post_migrate.connect(create_schedules, sender=self)
        sections.register(account.my_application)
        calendars.register_feed_provider(ShiftPlaces())
