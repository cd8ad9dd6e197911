"""Lockouts and one-time codes hold across web processes: the cache is one they all share.

Each "process" here is a cache client of its own: assigning settings.CACHES makes Django drop
its cache clients, so the next request builds a new one that shares no memory with the last.
With the database cache, only the table is shared, as between real workers.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client

from portal.accounts.checks import check_cache_is_shared
from tests.factories import PASSWORD, UserFactory
from tests.staff import STAFF_TOTP_SECRET, current_code

ROOT = Path(__file__).resolve().parents[2]
DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": django_settings.DATABASE_CACHE_TABLE,
}


def served_by(settings, worker: int, shared: bool = True) -> None:
    """The next request is served by web process `worker`, with a cache client of its own."""
    own = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"w{worker}"}
    settings.CACHES = {"default": dict(DATABASE_CACHE if shared else own)}


@pytest.fixture
def staff_member(db):
    user = UserFactory(email="coordinator@example.com", roles=["Coordinator"])
    TOTP.activate(user, STAFF_TOTP_SECRET)
    return user


def _signed_in_with_password(settings, worker: int, user, shared: bool = True) -> Client:
    client = Client()
    served_by(settings, worker, shared)
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    return client


def test_without_redis_the_portal_caches_in_its_database():
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "PYTEST_VERSION"}}
    env.update(DEBUG="1", DJANGO_SETTINGS_MODULE="portal.settings")
    backend = subprocess.run(
        [sys.executable, "-c", "import portal.settings as s; print(s.CACHES['default'])"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "django.core.cache.backends.db.DatabaseCache" in backend
    assert django_settings.DATABASE_CACHE_TABLE in backend


@pytest.mark.django_db
def test_the_migrations_make_the_cache_table():
    assert django_settings.DATABASE_CACHE_TABLE in connection.introspection.table_names()


def test_a_totp_code_is_accepted_once_across_web_processes(settings, staff_member):
    first = _signed_in_with_password(settings, 1, staff_member)
    second = _signed_in_with_password(settings, 2, staff_member)
    code = current_code()
    served_by(settings, 1)
    assert first.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    served_by(settings, 2)
    response = second.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 200
    assert b"govuk-error-message" in response.content
    served_by(settings, 2)
    assert second.get("/admin/").status_code == 302


def test_per_process_caches_are_what_let_a_code_be_used_twice(settings, staff_member):
    """The fault the shared cache and the deploy check prevent (so the test above can fail)."""
    first = _signed_in_with_password(settings, 1, staff_member, shared=False)
    second = _signed_in_with_password(settings, 2, staff_member, shared=False)
    code = current_code()
    served_by(settings, 1, shared=False)
    assert first.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    served_by(settings, 2, shared=False)
    assert second.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    settings.DEBUG = False
    assert [e.id for e in check_cache_is_shared()] == ["accounts.E001"]


def test_the_login_lockout_holds_across_web_processes(settings, db):
    user = UserFactory(email="target@example.com")
    client = Client()
    for attempt in range(5):  # allauth's default: 5 failures per address, then locked
        served_by(settings, attempt % 2 + 1)
        client.post("/accounts/login/", {"login": user.email, "password": "wrong"})
    served_by(settings, 2)
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code in {200, 429}
    assert "too many" in response.content.decode().lower()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    ],
)
def test_the_deploy_check_refuses_a_cache_kept_per_process(settings, backend):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": backend}}
    [error] = check_cache_is_shared()
    assert error.id == "accounts.E001"
    assert "REDIS_URL" in error.hint


@pytest.mark.parametrize(
    "cache",
    [
        DATABASE_CACHE,
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
        },
    ],
)
def test_the_deploy_check_accepts_a_shared_cache(settings, cache):
    settings.DEBUG = False
    settings.CACHES = {"default": cache}
    assert check_cache_is_shared() == []


def test_development_may_use_a_cache_per_process(settings):
    settings.DEBUG = True
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert check_cache_is_shared() == []
