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
        _restore_migrated_data_after(item)
    items.sort(key=_slow_first)


def _slow_first(item) -> tuple[int, bool]:
    """xdist hands out single tests in collection order (after the groups): a long one left
    for the end keeps one worker busy while the others wait. So slow tests go first, but
    within pytest-django's order (database tests, then transactional ones, then the rest):
    a transactional test leaves the tables empty until the next one restores them, so no
    plain database test may follow it. A slow test with no database can go anywhere."""
    slow = item.get_closest_marker("slow") is not None
    marker = item.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):  # _restore_migrated_data_after marked it
        return (2, not slow)
    if marker or "db" in getattr(item, "fixturenames", ()):
        return (1, not slow)
    return (0, False) if slow else (3, False)


def _restore_migrated_data_after(item):
    """Every transactional test restores what migrations created (roles, the Wagtail root).

    A transactional test empties the database when it ends; one that does not restore the
    migrated data leaves the next ones without it, or unable to restore it (duplicate
    content types), so all of them restore it.
    """
    marker = item.get_closest_marker("django_db")
    kwargs = dict(marker.kwargs) if marker else {}
    transactional = kwargs.get("transaction") or {"live_server", "transactional_db"} & set(
        getattr(item, "fixturenames", ())
    )
    if transactional and not kwargs.get("serialized_rollback"):
        kwargs.update(transaction=True, serialized_rollback=True)
        # First, so it is the marker pytest-django reads (it takes the closest one).
        item.add_marker(pytest.mark.django_db(**kwargs), append=False)


def pytest_collection_finish(session):
    from tests.browser.fixtures import start_browser

    if any(item.get_closest_marker("browser") for item in session.items):
        start_browser()


def pytest_sessionfinish(session):
    from tests.browser.fixtures import stop_browser

    stop_browser()
    config = session.config
    xdist_controller = getattr(config.option, "numprocesses", None) and not hasattr(
        config, "workerinput"
    )
    if xdist_controller and (config.getvalue("create_db") or not config.getvalue("reuse_db")):
        from pytest_django.plugin import blocking_manager_key

        from tests import shared_db

        with config.stash[blocking_manager_key].unblock():
            shared_db.drop_template(config.option.verbose)


@pytest.fixture(scope="session")
def django_db_modify_db_settings_xdist_suffix():
    """No per-worker name here: each worker clones the one built database under its own
    (tests/shared_db.py)."""


@pytest.fixture(scope="session")
def django_db_setup(  # noqa: PLR0913 - the fixtures pytest-django's takes
    request,
    django_test_environment,
    django_db_blocker,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
    tmp_path_factory,
):
    """pytest-django's, except that the database is always created and its migrated rows
    always serialized: the browser modules that seed once (tests/browser/fixtures.py
    `shared_database`) carry no `django_db` mark, yet need both. Under xdist it is built
    once and cloned for each worker (tests/shared_db.py)."""
    from django.test.utils import setup_databases, teardown_databases

    from tests import shared_db

    keepdb = django_db_keepdb and not django_db_createdb
    verbosity = request.config.option.verbose
    worker = getattr(request.config, "workerinput", {}).get("workerid")
    with django_db_blocker.unblock():
        if worker:
            # The basetemp's parent is the one folder every worker of this run shares.
            shared = tmp_path_factory.getbasetemp().parent
            config = shared_db.build_once_and_clone(
                shared, worker, keepdb=keepdb, verbosity=verbosity
            )
        else:
            config = setup_databases(
                verbosity=verbosity,
                interactive=False,
                keepdb=keepdb,
                aliases={"default"},
                serialized_aliases={"default"},
            )
    yield
    if not keepdb:
        with django_db_blocker.unblock():
            teardown_databases(config, verbosity=verbosity)


@pytest.fixture(scope="session", autouse=True)
def _quick_flush_and_restore():
    """Transactional tests empty and refill the database quickly (tests/database.py)."""
    from tests import database

    database.install()
    yield
    database.uninstall()


@pytest.fixture(autouse=True)
def _postgres_only(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://... to run it")


@pytest.fixture(autouse=True)
def _isolated_settings(request, settings, tmp_path):
    from django.core.cache import cache

    cache.clear()  # rate limits and used authenticator codes must not leak between tests
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    if "shared_database" not in request.fixturenames:  # that module keeps one media folder
        settings.MEDIA_ROOT = tmp_path / "media"
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def home_page(db):
    """The demo site's home page, its site and helpline settings (not the whole demo)."""
    from cms import demo

    return demo.seed_site()


@pytest.fixture
def feed_provider():
    """`feed_provider(SomeFeedProvider())` registers a calendar feed provider for one test
    (beside the apps' own, which stay registered)."""
    from portal.calendars import feeds

    added = []

    def register(provider):
        added.append(feeds.register_feed_provider(provider))
        return provider

    yield register
    for provider in added:
        feeds._providers.remove(provider)


MESSAGE_TEMPLATES = {
    "tests/emails/message.txt": (
        'Hello {{ recipient_name|default:"there" }},\n\nYour place on {{ thing }} is confirmed.\n'
    ),
    "tests/emails/message.discreet.txt": "Hello,\n\nYour appointment is confirmed.\n",
    # No discreet version: notify replaces it with its neutral one when discreet.
    "tests/emails/plain.txt": "Your place on {{ thing }} is confirmed.\n",
}


@pytest.fixture
def message_templates(tmp_path_factory, settings):
    """Email templates of the tests' own (`tests/emails/message`, `tests/emails/plain`), in
    a template folder that exists only while the test runs."""
    folder = tmp_path_factory.mktemp("templates")  # not tmp_path: that is the test's own
    for name, text in MESSAGE_TEMPLATES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    engine, *others = settings.TEMPLATES
    settings.TEMPLATES = [{**engine, "DIRS": [folder, *engine["DIRS"]]}, *others]
