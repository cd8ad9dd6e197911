import os

import pytest
from django.db import connection

# Playwright's sync API runs an event loop in this thread; the ORM calls our tests make
# between browser steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = ["tests.browser.fixtures"]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def pytest_collection_finish(session):
    from tests.browser.fixtures import start_browser

    if any(item.get_closest_marker("browser") for item in session.items):
        start_browser()


def pytest_sessionfinish(session):
    from tests.browser.fixtures import stop_browser

    stop_browser()


@pytest.fixture(autouse=True)
def _postgres_only(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://... to run it")


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def home_page(db):
    """The demo site's home page (what seed_demo creates for cms)."""
    from cms import demo
    from cms.models import HomePage

    demo.seed()
    return HomePage.objects.get()
