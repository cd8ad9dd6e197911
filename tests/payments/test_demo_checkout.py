"""`make run` with no Stripe key: a demonstration checkout (the stand-in the tests use),
started as its own process, through which a paid booking completes."""

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from courses.models import Audience, Booking
from portal.payments import standin
from portal.payments.models import Payment
from portal.places import HoldingStatus
from tests.courses import helpers
from tests.factories import UserFactory
from tests.processes import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_stripe(settings):
    """`manage.py demo_stripe PORT` as `make run` starts it, the settings pointing at it."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    env.update(DEBUG="1", STRIPE_WEBHOOK_SECRET=standin.WEBHOOK_SECRET)
    process = subprocess.Popen(
        [sys.executable, "manage.py", "demo_stripe", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/checkout/none", timeout=2).close()
            break
        except OSError:
            time.sleep(0.2)
    settings.STRIPE_API_BASE = base
    settings.STRIPE_SECRET_KEY = standin.SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = standin.WEBHOOK_SECRET
    yield base
    process.terminate()
    process.wait(timeout=20)


@pytest.mark.django_db
def test_a_paid_booking_goes_to_the_demonstration_checkout_which_says_so(
    client, home_page, demo_stripe
):
    course = helpers.course(home_page, title="Paid course", prices={Audience.PUBLIC: 4500})
    session = helpers.session(course)
    client.force_login(UserFactory())
    response = client.post(
        reverse("courses:book", args=[session.pk]), {"audience": Audience.PUBLIC, "self-needs": ""}
    )
    assert Booking.objects.get().status == HoldingStatus.HELD
    checkout_url = response["Location"]
    assert checkout_url.startswith(demo_stripe + "/checkout/")
    assert Payment.objects.get().checkout_url == checkout_url
    with urllib.request.urlopen(checkout_url, timeout=10) as page:
        text = page.read().decode()
    assert "Pay £45.00" in text
    assert "demonstration checkout, a stand-in for Stripe" in text
    assert "no money moves" in text


def test_the_demonstration_checkout_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo_stripe", "0")


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_without_stripe_keys_starts_the_demonstration_checkout():
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRIPE_")}
    dry_run = subprocess.run(
        [shutil.which("make"), "-n", "-C", str(ROOT), "run", "PORT=8123"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "manage.py demo_stripe 8124" in dry_run
    for process in ("runserver", "qcluster"):
        line = next(line for line in dry_run.splitlines() if f"manage.py {process}" in line)
        assert "STRIPE_API_BASE=http://127.0.0.1:8124" in line
        assert re.search(r"STRIPE_SECRET_KEY=sk_test_standin\b", line)
    with_keys = subprocess.run(
        [shutil.which("make"), "-n", "-C", str(ROOT), "run"],
        env={**env, "STRIPE_SECRET_KEY": "sk_live_real"},
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "demo_stripe" not in with_keys and "sk_test_standin" not in with_keys
