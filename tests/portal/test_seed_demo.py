from io import StringIO

import pytest
from django.core.management import call_command

from courses.models import Session
from courses.selectors import sessions_visible_to
from portal.accounts.models import Organisation, Sector, User
from portal.demo import DEMO_PASSWORD
from portal.localities import Locality, StaffAssignment

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_is_idempotent_and_covers_every_role_and_sector(settings):
    settings.DEBUG = True
    seed()
    counts = (User.objects.count(), Organisation.objects.count())
    seed()
    assert (User.objects.count(), Organisation.objects.count()) == counts
    roles = {g for u in User.objects.all() for g in u.groups.values_list("name", flat=True)}
    assert roles == {
        "Editor",
        "Coordinator",
        "Trainer",
        "Programme facilitator",
        "Volunteer coordinator",
        "Commissioner",
        "Community worker",
    }
    assert set(Organisation.objects.values_list("sector", flat=True)) == set(Sector.values)
    # The demo staff still see what they saw before staff scope: the coordinator every
    # session (assigned to every locality, online included), the trainer those they train.
    sessions = set(Session.objects.all())
    coordinator = User.objects.get(groups__name="Coordinator")
    assert set(sessions_visible_to(coordinator)) == sessions
    assert StaffAssignment.objects.filter(user=coordinator).count() == Locality.objects.count()
    trainer = User.objects.get(groups__name="Trainer")
    assert set(sessions_visible_to(trainer)) == set(trainer.training_sessions.all()) == sessions


def test_seed_demo_refuses_to_run_without_debug(settings):
    """Demo staff share a published authenticator secret: never on a real site."""
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError):
        seed()
    assert not User.objects.exists()


def test_demo_passwords_in_debug(settings):
    settings.DEBUG = True
    output = seed()
    assert DEMO_PASSWORD in output
    assert User.objects.get(email="public@example.com").check_password(DEMO_PASSWORD)


@pytest.mark.slow
def test_the_printed_demo_totp_hint_works_as_printed(settings):
    """Typed in a shell with nothing set (no DEBUG), the hint prints a valid code."""
    import os
    import re
    import subprocess
    import time
    from pathlib import Path

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    from portal.demo import DEMO_TOTP_SECRET

    settings.DEBUG = True
    hint = re.search(r"`([^`]*demo_totp[^`]*)`", seed()).group(1)
    shell_env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "PYTEST_VERSION", "DJANGO_SETTINGS_MODULE"}
    }
    started = int(time.time() // app_settings.TOTP_PERIOD)
    printed = subprocess.run(
        ["sh", "-c", hint],
        cwd=Path.cwd(),
        env=shell_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert printed.returncode == 0, printed.stderr
    code = printed.stdout.strip()
    assert re.fullmatch(r"\d{6}", code)
    # The code of the period it was printed in (starting Python may take a period turn).
    ended = int(time.time() // app_settings.TOTP_PERIOD)
    periods = range(started, ended + 1)
    assert code in {format_hotp_value(hotp_value(DEMO_TOTP_SECRET, n)) for n in periods}
