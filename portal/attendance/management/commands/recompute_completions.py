from django.core.management.base import BaseCommand

from portal.attendance import services


class Command(BaseCommand):
    help = (
        "Recompute every person's stored completion of every series with a mark (idempotent; "
        "run once after upgrading to stored completion)."
    )

    def handle(self, *args, **options):
        changed = services.recompute_every_series()
        self.stdout.write(f"Completion changed for {changed} people's series.")
