import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from portal.payments.standin import StripeStandIn


class Command(BaseCommand):
    help = (
        "Serve the demonstration stand-in for Stripe on 127.0.0.1:PORT (DEBUG only), so a "
        "paid booking can be completed without Stripe keys: `make run` starts it."
    )

    def add_arguments(self, parser):
        parser.add_argument("port", type=int)

    def handle(self, *args, port: int, **options):
        if not settings.DEBUG:
            raise CommandError("Only available when DEBUG is on: it takes no real payments.")
        standin = StripeStandIn(
            webhook_secret=settings.STRIPE_WEBHOOK_SECRET,
            webhook_url=settings.SITE_URL + reverse("payments:stripe_webhook"),
            port=port,
        ).start()
        self.stdout.write(f"Demonstration checkout (a stand-in for Stripe) at {standin.url}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            standin.stop()
