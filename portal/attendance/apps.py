from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_schedules(sender, **kwargs):
    from portal.schedules import ensure_schedule

    ensure_schedule(
        "Ask for feedback after registers", "portal.attendance.services.send_due_feedback", 15
    )


class AttendanceConfig(AppConfig):
    name = "portal.attendance"
    label = "attendance"
    verbose_name = "Attendance"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from portal.accounts import sections
        from portal.attendance import account

        # Each app's registers.py describes its occurrences (see portal.attendance.registry).
        autodiscover_modules("registers")
        post_migrate.connect(create_schedules, sender=self)
        sections.register(account.my_certificates)
