import shlex
import sys
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal import demo

# Apps add demo content in `<app>/demo.py` with a `seed()` function, run in this order.
DEMO_APPS = ["cms", "courses", "volunteers", "programmes", "referrals"]


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
            f"Staff need a code from an authenticator app: `{demo_totp_command()}` "
            "prints the current one for the demo staff."
        )


def demo_totp_command() -> str:
    """The command that prints the demo staff's code, as it can be typed here: this Python
    (the project's .venv), this manage.py, and DEBUG on, which the command needs."""
    here = Path.cwd()

    def typed(path: Path) -> str:
        path = path.absolute()
        return str(path.relative_to(here)) if path.is_relative_to(here) else str(path)

    manage = typed(settings.BASE_DIR / "manage.py")
    return shlex.join(["DEBUG=1", typed(Path(sys.executable)), manage, "demo_totp"])
