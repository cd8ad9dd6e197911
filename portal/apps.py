from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_schedules(sender, **kwargs):
    from portal import places
    from portal.schedules import ensure_schedule

    ensure_schedule("Send due notifications", "portal.notify.send_due", minutes=1)
    places.ensure_schedules()


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        from portal import exports
        from portal.accounts import sections
        from portal.calendars.account import calendar_section
        from portal.contact import wagtail_hooks  # noqa: F401  (registers the staff screens)
        from portal.contact.account import contact_section

        post_migrate.connect(create_schedules, sender=self)
        exports.install()
        sections.register(contact_section)
        sections.register(calendar_section)
