import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Header and footer links are cached; each test starts from its own pages."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo_site(db):
    from cms import demo

    demo.seed()
