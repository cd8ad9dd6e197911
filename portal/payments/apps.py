from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_schedules(sender, **kwargs):
    from portal.schedules import ensure_schedule

    ensure_schedule(
        "Expire lapsed checkouts and retry refunds", "portal.payments.tasks.sweep", minutes=1
    )


class PaymentsConfig(AppConfig):
    name = "portal.payments"
    label = "payments"
    verbose_name = "Payments"

    def ready(self):
        post_migrate.connect(create_schedules, sender=self)
