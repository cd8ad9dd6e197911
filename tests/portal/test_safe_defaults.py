import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import path

from portal import urls as portal_urls
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_reader_of_a_page_without_a_form_gets_no_cookie(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    assert response.cookies == {}
    assert "Set-Cookie" not in response.headers


def test_every_response_carries_the_security_headers(client, home_page):
    for url in ["/", "/healthz", "/accounts/login/", "/no-such-page/"]:
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["X-Frame-Options"] == "DENY"
        assert "geolocation=()" in headers["Permissions-Policy"]


def test_hsts_is_sent_on_https_when_debug_is_off(client, home_page, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/", secure=True)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_pages_link_only_to_our_own_static_files(client, home_page):
    html = client.get("/").content.decode()
    assert 'href="/static/govuk/portal.css"' in html
    assert 'src="/static/portal/js/portal.mjs"' in html
    for third_party in ["//cdn", "googleapis", "gstatic", "unpkg", "jsdelivr", "analytics"]:
        assert third_party not in html


def test_every_public_page_offers_exit_this_page(client, home_page):
    for url in ["/", "/accounts/login/", "/accounts/signup/", "/no-such-page/"]:
        html = client.get(url).content.decode()
        assert "govuk-exit-this-page" in html, url
        assert 'href="/exit/"' in html, url


def test_exit_ends_the_session_and_leaves_for_the_exit_url(client, settings):
    settings.EXIT_PAGE_URL = "https://www.bbc.co.uk/weather"
    user = UserFactory()
    client.force_login(user)
    response = client.get("/exit/")
    assert response.status_code == 302
    assert response["Location"] == "https://www.bbc.co.uk/weather"
    assert "cookies" in response["Clear-Site-Data"]
    assert "no-store" in response["Cache-Control"]
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("odd_name", ["a b", "(x)", "a,b", "ü", "x@y", "a=b", "a;b"])
def test_exit_never_fails_whatever_cookies_the_browser_sends(client, settings, odd_name):
    settings.EXIT_PAGE_URL = "https://www.bbc.co.uk/weather"
    client.force_login(UserFactory())
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    cookie = f"{odd_name}=1; sessionid={session_key}; csrftoken=abc; messages=m; other=1"
    response = client.get("/exit/", HTTP_COOKIE=cookie)
    assert response.status_code == 302
    assert response["Location"] == "https://www.bbc.co.uk/weather"
    assert "cookies" in response["Clear-Site-Data"]
    for ours in ["sessionid", "csrftoken", "messages", "other"]:
        assert response.cookies[ours]["max-age"] == 0, ours
        assert response.cookies[ours].value == ""
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "query",
    [
        "?next=https://evil.example",
        "?url=//evil.example",
        "?to=javascript:alert(1)",
        "?next=%2F%2Fevil.example",
        "?" + "a" * 5000,
    ],
)
def test_a_tampered_exit_link_never_redirects_anywhere_else(client, settings, query):
    settings.EXIT_PAGE_URL = "https://www.bbc.co.uk/weather"
    response = client.get("/exit/" + query)
    assert response.status_code == 302
    assert response["Location"] == "https://www.bbc.co.uk/weather"


def test_healthz_reports_database_and_task_queue(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] is True
    # The tests run tasks inline: there is no worker to ask after.
    assert body["task_queue"] == {"ok": True, "worker": "sync"}


@pytest.fixture
def with_a_worker(monkeypatch):
    """As in production: tasks go through the broker to a separate worker."""
    from django.utils import timezone
    from django_q.conf import Conf
    from django_q.models import Schedule

    monkeypatch.setattr(Conf, "SYNC", False)
    # A running cluster's scheduler keeps every recurring job's next run ahead of now.
    Schedule.objects.update(next_run=timezone.now() + timedelta(minutes=1))


def _enqueue(waited: timedelta):
    from django.utils import timezone
    from django_q.brokers import get_broker
    from django_q.models import OrmQ

    broker = get_broker()
    task_id = broker.enqueue("signed task")
    OrmQ.objects.filter(pk=task_id).update(lock=timezone.now() - waited)


def test_healthz_says_the_worker_is_alive_when_tasks_are_taken_promptly(client, with_a_worker):
    _enqueue(waited=timedelta(seconds=20))
    response = client.get("/healthz")
    assert response.status_code == 200
    queue = response.json()["task_queue"]
    assert queue["ok"] is True and queue["worker"] == "alive"
    assert queue["queued"] == 1
    assert 20 <= queue["oldest_queued_seconds"] < 60
    assert queue["most_overdue_schedule_seconds"] == 0


def test_healthz_says_503_when_tasks_wait_with_no_worker_to_take_them(client, with_a_worker):
    """The ORM broker always answers its ping: a queue nobody empties is what shows it."""
    _enqueue(waited=timedelta(minutes=10))
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["task_queue"]["ok"] is False
    assert body["task_queue"]["worker"] == "not running"
    assert body["task_queue"]["oldest_queued_seconds"] >= 600


def test_healthz_says_503_when_recurring_jobs_are_overdue(client, with_a_worker):
    """With nothing queued, a scheduler that has stopped moving its jobs on shows it."""
    from django.utils import timezone
    from django_q.models import Schedule

    assert Schedule.objects.exists()
    Schedule.objects.filter(pk=Schedule.objects.first().pk).update(
        next_run=timezone.now() - timedelta(minutes=7)
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    queue = response.json()["task_queue"]
    assert queue["worker"] == "not running" and queue["queued"] == 0
    assert queue["most_overdue_schedule_seconds"] >= 420


def test_healthz_says_503_when_the_task_queue_is_down(client, monkeypatch, with_a_worker):
    from django_q.brokers import orm

    monkeypatch.setattr(orm.ORM, "ping", lambda self: (_ for _ in ()).throw(OSError("down")))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["task_queue"] == {"ok": False, "error": "OSError"}


def test_not_found_is_a_friendly_page(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def _boom(request):
    raise RuntimeError("kaboom")


def test_a_crash_shows_the_friendly_500_page_without_details(settings, home_page):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
    assert b"kaboom" not in response.content
    assert b"Exit this page" in response.content


def test_bad_request_and_forbidden_pages_are_friendly(rf, home_page):
    from portal.views import bad_request, permission_denied

    assert b"problem with that request" in bad_request(rf.get("/")).content
    assert b"do not have access" in permission_denied(rf.get("/")).content


urlpatterns = [path("boom/", _boom), *portal_urls.urlpatterns]
handler500 = "portal.views.server_error"


def test_our_own_form_posts_work_under_no_referrer(home_page):
    """Browsers send `Origin: null` and no Referer when the referrer policy is no-referrer."""
    user = UserFactory(email="origin@example.com")
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/accounts/login/",
        {"login": user.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
        HTTP_ORIGIN="null",
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert response.status_code == 302


def test_a_cross_site_post_is_still_refused(home_page):
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/accounts/login/",
        {"login": "a@example.com", "password": "x", "csrfmiddlewaretoken": token},
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    no_token = Client(enforce_csrf_checks=True).post(
        "/accounts/login/",
        {"login": "a@example.com", "password": "x"},
        HTTP_ORIGIN="null",
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert no_token.status_code == 403
    # A null origin from a sandboxed or foreign frame, even carrying a token: refused.
    framed = client.post(
        "/accounts/login/",
        {"login": "a@example.com", "password": "x", "csrfmiddlewaretoken": token},
        HTTP_ORIGIN="null",
        HTTP_SEC_FETCH_SITE="cross-site",
    )
    assert framed.status_code == 403


def test_a_stale_form_gets_a_friendly_page_not_a_stack_of_help(home_page):
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"login": "a@b.com"})
    assert response.status_code == 403
    assert b"that form could not be sent" in response.content


def _sha256(path) -> str:
    import hashlib

    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_icons_are_the_services_own_not_the_gov_uk_crown(client, home_page):
    """The issue asks for GOV.UK Frontend re-branded: no crown favicon or home-screen icon."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    govuk_images = Path(settings.BASE_DIR, "node_modules/govuk-frontend/dist/govuk/assets/images")
    crown_hashes = {_sha256(p) for p in govuk_images.iterdir()}
    assert crown_hashes, "GOV.UK Frontend's images are where the build takes them from"
    html = client.get("/").content.decode()
    icons = re.findall(
        r'<link rel="(?:icon|apple-touch-icon|manifest)" href="/static/([^"]+)"', html
    )
    assert {"govuk/icons/favicon.ico", "govuk/icons/apple-touch-icon.png"} <= set(icons)
    for icon in icons:
        found = finders.find(icon)
        assert found, icon
        assert _sha256(found) not in crown_hashes, icon
    # Nothing from GOV.UK's images folder is copied into our static files at all.
    built = Path(settings.BASE_DIR, "portal/static/govuk")
    assert not {_sha256(p) for p in built.rglob("*") if p.is_file()} & crown_hashes
    assert "govuk/assets/images" not in html


def test_static_files_collect_as_in_production(tmp_path, settings):
    """Production's manifest storage follows every url() in our CSS: one pointing at a file
    we do not ship (GOV.UK's crest) makes `collectstatic` fail on deploy."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    stylesheet = staticfiles_storage.stored_name("govuk/portal.css")
    assert stylesheet != "govuk/portal.css" and (tmp_path / stylesheet).exists()
    assert staticfiles_storage.stored_name("govuk/icons/favicon.ico")


def test_what_a_signed_in_person_is_shown_is_never_stored(client, home_page):
    client.force_login(UserFactory())
    for url, status in [("/accounts/profile/", 200), ("/accounts/email/", 200), ("/nope/", 404)]:
        response = client.get(url)
        assert response.status_code == status, url
        cache_control = response["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, url
        assert "public" not in cache_control, url


def test_a_response_that_says_how_it_is_cached_keeps_its_word(client, home_page):
    client.force_login(UserFactory())
    # The exit sets its own (never_cache), and so does the public site's policy.
    assert "must-revalidate" in client.get("/exit/")["Cache-Control"]
    client.logout()
    assert "public" in client.get("/")["Cache-Control"]
