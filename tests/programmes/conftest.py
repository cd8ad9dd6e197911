import pytest


@pytest.fixture
def toolkit(home_page):
    from tests.programmes.builders import programme

    return programme(home_page)


@pytest.fixture
def freedom(home_page):
    from tests.programmes.builders import programme

    return programme(home_page, rolling=True)
