import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Header and footer links are cached; each test starts from its own pages."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def _demo_site_for_the_module(django_db_setup, django_db_blocker):
    """Seeding the whole demo takes seconds: do it once per module, inside a transaction
    that is rolled back when the module ends; each test's own changes roll back to it."""
    from django.db import transaction

    from cms import demo

    with django_db_blocker.unblock(), transaction.atomic():
        demo.seed()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_site(_demo_site_for_the_module, db):
    """The whole demo site: pages, drop-ins, helpline settings (seeded once per module)."""
