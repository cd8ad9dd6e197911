from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal import demo

# Apps add demo content in `<app>/demo.py` with a `seed()` function, run in this order.
DEMO_APPS = ["cms", "courses", "volunteers", "programmes"]


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo site, people and content. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEBUG:
            # Demo staff share a published authenticator secret: never on a real site.
            raise CommandError("seed_demo only runs with DEBUG on: it creates known logins.")
        people = demo.seed()
        for app in DEMO_APPS:
            if find_spec(f"{app}.demo"):
                import_module(f"{app}.demo").seed()
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
        self.stdout.write("")
        for email, role in people:
            self.stdout.write(f"  {email:<45} {role}")
        self.stdout.write(f"\nPassword for every demo login: {demo.DEMO_PASSWORD}")
        self.stdout.write(
            "Staff need a code from an authenticator app: `python manage.py demo_totp` "
            "prints the current one for the demo staff."
        )
