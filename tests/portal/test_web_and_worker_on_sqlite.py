"""`make run` on the embedded default: the web server and the task worker, as two real
processes, on one SQLite file, under a burst of bookings and cancellations.

Every message is sent exactly once (counted in the files the file-based email backend
writes), none is retried, no request fails and neither process logs a locked database.
"""

import html
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from email import message_from_string
from pathlib import Path

import pytest

from tests.processes import free_port

ROOT = Path(__file__).resolve().parents[2]
BOOKERS = 8
DEADLINE_SECONDS = 120  # what a broken run may take before failing; a good one takes ~10

# The worker's process builds the database and the people first, then becomes the worker
# (one Python start-up fewer than a process of its own for that).
SEED_THEN_WORK = """
import django, json, os
django.setup()
from django.core.management import call_command
from django.db import connections
call_command("migrate", run_syncdb=True, interactive=False, verbosity=0)
call_command("createcachetable", verbosity=0)  # a migration makes it, and none runs here
from tests.portal.test_web_and_worker_on_sqlite import seed
draft = "{seeded}.draft"
with open(draft, "w") as out:
    json.dump(seed({bookers}), out)
os.rename(draft, "{seeded}")
connections.close_all()  # nothing shared with the workers it forks
call_command("qcluster")
"""


def seed(bookers: int) -> dict:
    """Run in the seeding process: the Wagtail tree, one free course session and signed-in
    people (their session cookies)."""
    from django.conf import settings
    from django.test import Client
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale, Page

    from cms import demo
    from portal.localities import Locality
    from tests.courses import helpers
    from tests.factories import UserFactory

    locale = Locale.objects.create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    # The schema is built from the models here, so no data migration made the localities.
    Locality.objects.create(name="North", slug="north")
    session = helpers.session(helpers.course(demo.seed_site()), capacity=bookers * 2)
    cookies = []
    for n in range(bookers):
        client = Client()
        client.force_login(UserFactory(email=f"booker{n}@example.com"))
        cookies.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    return {"session": session.pk, "cookies": cookies}


def _environment(var_dir: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "PYTEST_VERSION"}
    env.update(
        # As `make run` has it, with mail written to files and tasks queued, not run inline.
        DJANGO_SETTINGS_MODULE="tests.portal.settings_schema_from_models",
        DEBUG="1",
        Q_SYNC="0",
        VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'portal.sqlite3'}",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
    )
    return env


class Browser:
    """One signed-in person: their session cookie, and the CSRF cookie once given."""

    def __init__(self, base: str, session_cookie: str):
        self.base = base
        self.cookies = {"sessionid": session_cookie}

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        """(status, body, Location); redirects are not followed."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        opener = urllib.request.build_opener(_NoRedirects)
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
            text = response.read().decode()
            return response.status, text, response.headers.get("Location", "")

    def post_form(self, path: str, fields: dict) -> tuple[int, str]:
        status, page, _ = self.request(path)
        assert status == 200, (path, status, _what_failed(page))
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, page, location = self.request(path, {"csrfmiddlewaretoken": token, **fields})
        assert status == 302, (path, status, _what_failed(page))
        return status, location


def _what_failed(page: str) -> str:
    """The exception on DEBUG's error page, else the page's title."""
    found = re.search(r'<pre class="exception_value">(.*?)</pre>', page, re.S) or re.search(
        r"<title>(.*?)</title>", page, re.S
    )
    return html.unescape(found.group(1).strip()) if found else page[-500:]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _wait_for(check, what: str, logs: dict, processes: list):
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if check():
            return
        if any(process.poll() is not None for process in processes):
            pytest.fail(f"a process stopped while waiting for {what}\n" + _tails(logs))
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}\n" + _tails(logs))


def _tails(logs: dict) -> str:
    return "\n".join(f"--- {name}\n{path.read_text()[-3000:]}" for name, path in logs.items())


def _outbox(database: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(database, timeout=20) as db:
        return db.execute("SELECT status, attempts FROM portal_outboxmessage").fetchall()


def _sent_emails(mail_dir: Path) -> list:
    """Every message the file backend wrote (one file per connection, separated by dashes)."""
    emails = []
    for path in mail_dir.glob("*.log"):
        for chunk in path.read_text().split("-" * 79 + "\n"):
            if chunk.strip():
                emails.append(message_from_string(chunk))
    return emails


@pytest.mark.slow
def test_bookings_on_sqlite_with_the_worker_running_send_each_message_once(tmp_path):
    env = _environment(tmp_path)
    database = tmp_path / "portal.sqlite3"
    port = free_port()
    logs = {"web server": tmp_path / "web.log", "worker": tmp_path / "worker.log"}
    processes = []

    def start(name: str, *arguments: str) -> None:
        with logs[name].open("w") as log:
            processes.append(
                subprocess.Popen(
                    [sys.executable, *arguments],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )

    try:
        # The web server starts while the database is built (it reads nothing until asked).
        start(
            "web server",
            "manage.py",
            "runserver",
            f"127.0.0.1:{port}",
            "--noreload",
            "--skip-checks",
        )
        seeded = tmp_path / "seeded.json"
        start("worker", "-c", SEED_THEN_WORK.format(seeded=seeded, bookers=BOOKERS))
        _wait_for(seeded.exists, "the database and people", logs, processes)
        setup = json.loads(seeded.read_text())
        base = f"http://127.0.0.1:{port}"

        def serving() -> bool:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                    return response.status == 200
            except OSError:
                return False

        _wait_for(serving, "the web server", logs, processes)
        book_path = f"/training/sessions/{setup['session']}/book/"
        browsers = [Browser(base, cookie) for cookie in setup["cookies"]]

        def book_then_maybe_cancel(n: int) -> None:
            browser = browsers[n]
            _, location = browser.post_form(book_path, {"audience": "public"})
            booking_path = urllib.parse.urlsplit(location).path
            status, page, _ = browser.request(booking_path)
            assert status == 200, (booking_path, status, _what_failed(page))
            if n % 2:
                browser.post_form(booking_path + "cancel/", {})

        # Everyone at once, while the worker is sending what the first ones were sent.
        with ThreadPoolExecutor(BOOKERS) as pool:
            list(pool.map(book_then_maybe_cancel, range(BOOKERS)))
        # Booked: to the booker, and the invite; cancelled: to the booker, and the calendar's
        # cancellation.
        expected = BOOKERS * 2 + (BOOKERS // 2) * 2

        def all_sent() -> bool:
            rows = _outbox(database)
            return len(rows) == expected and all(status != "pending" for status, _ in rows)

        _wait_for(all_sent, "every message to be sent", logs, processes)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    assert sorted(set(_outbox(database))) == [("sent", 1)], _outbox(database)
    emails = _sent_emails(tmp_path / "mail")
    sent = [(email["To"], email["Subject"]) for email in emails]
    assert len(sent) == expected, sent
    assert len(set(sent)) == expected, "a message was sent twice"
    assert {to for to, _ in sent} == {f"booker{n}@example.com" for n in range(BOOKERS)}
    everything_logged = "\n".join(path.read_text() for path in logs.values())
    for trouble in ("database is locked", "Traceback", "ERROR"):
        assert trouble not in everything_logged, _tails(logs)
    assert not re.search(r'" 5\d\d ', everything_logged), _tails(logs)  # no server error
