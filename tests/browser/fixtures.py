"""Playwright driving Debian's Chromium (no browser download), and an offline axe-core check."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
    "--no-first-run",
]


_started: dict = {}


def start_browser() -> None:
    """Start Playwright and Chromium once, before Django sets up the test database.

    Playwright's sync API switches greenlets, and each greenlet has its own context
    variables, where Django keeps its database connections. Started in the middle of the
    session, it would hide the test database's connection (and its serialized contents)
    from every later test; started first, everything runs in the same context.
    """
    if _started or not Path(CHROMIUM).exists():
        return
    from playwright.sync_api import sync_playwright

    manager = sync_playwright()
    playwright = manager.__enter__()
    _started["manager"] = manager
    _started["browser"] = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )


def stop_browser() -> None:
    if _started:
        _started.pop("browser").close()
        _started.pop("manager").__exit__(None, None, None)


@pytest.fixture(scope="session")
def browser():
    if not _started:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"REQUIRE_BROWSER is set but there is no Chromium at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install -y chromium")
    return _started["browser"]


@pytest.fixture
def server(live_server):
    """The live server the `page` fixture browses: by default pytest-django's, with each test
    in a transaction of its own; a module that seeds once overrides it with `shared_server`."""
    return live_server


@pytest.fixture(scope="module")
def shared_database(django_db_setup, django_db_blocker, tmp_path_factory):
    """One database state for a whole module: its tests share what its module-scoped fixtures
    seed once (each test still leaves its own traces, so tests there must not depend on
    another's). The module starts from the migrated rows and leaves them as it found them.
    Its uploads (the demo's picture) live in one media folder for the module too, so a test
    finds the files the seed wrote (`_isolated_settings` leaves it in place)."""
    from django.test import override_settings

    from tests.database import reset_to_migrated_rows

    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    with media, django_db_blocker.unblock():
        reset_to_migrated_rows()
        yield
        reset_to_migrated_rows()


@pytest.fixture(scope="module")
def shared_server(shared_database):
    """A live server for a module that seeds once (mark it `xdist_group` so its tests run on
    one worker, and override `server` with this)."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost")
    server._live_server_modified_settings.enable()
    yield server
    server._live_server_modified_settings.disable()
    server.stop()


@pytest.fixture
def page(browser, server, settings):
    """A fresh browser context on the live server. Any request to another host fails the test:
    no page may reach a third party. The quick exit leaves for a neutral page of the live
    server (Chromium follows redirects past Playwright's routing, so the real exit site would
    need the network); the unit tests prove the default exit URL."""
    settings.EXIT_PAGE_URL = f"{server.url}/healthz?left=1"
    context = browser.new_context(base_url=server.url)
    context.set_default_timeout(10_000)
    third_party = []
    local_host = urlsplit(server.url).hostname

    def route(route):
        url = route.request.url
        if urlsplit(url).hostname != local_host and not url.startswith(("data:", "blob:")):
            third_party.append(url)
            return route.abort()
        return route.continue_()

    context.route("**/*", route)
    csp_violations = []
    context.expose_binding(
        "reportCspViolation", lambda source, violation: csp_violations.append(violation)
    )
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.third_party_requests = third_party
    page.csp_violations = csp_violations
    page.console_errors = []
    # A page answered 4xx on purpose (a form sent with errors is a 400, another person's
    # record a 404) is checked by its test; Chromium logs its status, which is no fault.
    answered_4xx = set()

    def on_response(response):
        if response.request.is_navigation_request() and 400 <= response.status < 500:
            answered_4xx.add(response.url)

    def on_console(message):
        expected = message.text.startswith("Failed to load resource") and (
            message.location.get("url") in answered_4xx
        )
        if message.type == "error" and not expected:
            page.console_errors.append(f"{message.text} ({message.location.get('url')})")

    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()
    assert not third_party, f"pages requested third parties: {third_party}"
    assert not csp_violations, f"the Content-Security-Policy blocked: {csp_violations}"
    assert not page.console_errors, f"the console logged errors: {page.console_errors}"


# Every page and frame reports what its Content-Security-Policy blocked (the policy blocks it
# silently otherwise, and the feature it belonged to does nothing).
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation({
    page: location.pathname,
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: `${event.sourceFile}:${event.lineNumber}`,
  });
}, true);
"""


def sign_in_to_staff_area(page, email: str, password: str, totp_secret: str) -> None:
    """Sign in as staff do: the password, then the code from their authenticator."""
    from tests.staff import current_code

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/2fa/authenticate/")
    page.get_by_label("Code").fill(current_code(totp_secret))
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/profile/")


def assert_no_axe_violations(page) -> None:
    """Run axe-core (bundled in axe-playwright-python, no download) on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    options = {
        "runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
        # GOV.UK's skip links come first, before any landmark, on purpose.
        "rules": {"region": {"enabled": False}},
        # Violations in full; passes and incomplete results (never asserted) are not gathered,
        # which halves axe's time on a Wagtail admin screen.
        "resultTypes": ["violations"],
    }
    # A fade still running (Wagtail's messages fade in) has axe measure half-blended colours:
    # wait for the running animations to end, two seconds at most (some never settle).
    page.evaluate(
        """() => Promise.race([
          Promise.all(document.getAnimations()
            .filter(a => a.playState === "running" && a.effect
              && a.effect.getTiming().iterations !== Infinity)
            .map(a => a.finished.catch(() => null))),
          new Promise(resolve => setTimeout(resolve, 2000)),
        ])"""
    )
    results = Axe().run(page, options=options)
    assert results.violations_count == 0, results.generate_report()
