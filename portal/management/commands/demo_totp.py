from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current authenticator code of the demo staff (only when DEBUG is on)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Only available when DEBUG is on.")
        counters = list(yield_hotp_counters_from_time())  # the tolerance window; now is the middle
        counter = counters[len(counters) // 2]
        self.stdout.write(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter)))
