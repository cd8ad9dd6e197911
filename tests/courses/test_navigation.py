"""The training catalogue is reachable from the home page and from the header of every public
page, even when no editor ticked "show in menus" on it (issue 12, item 11)."""

import pytest
from django.core.cache import cache

from tests.courses import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(home_page):
    cache.clear()
    index = helpers.training_index(home_page)
    assert not index.show_in_menus
    yield index
    cache.clear()


def test_the_header_of_every_page_links_to_the_catalogue(client, catalogue):
    course = helpers.course(catalogue.get_parent().specific, title="Risk course")
    for url in ["/", catalogue.url, course.url, "/search/"]:
        html = client.get(url).content.decode()
        assert f'class="govuk-service-navigation__link" href="{catalogue.url}"' in html, url


def test_the_home_page_points_to_the_catalogue(client, catalogue):
    html = client.get("/").content.decode()
    assert f'href="{catalogue.url}">Find a training course and book a place</a>' in html


def test_without_a_live_catalogue_there_is_no_link(client, catalogue):
    catalogue.unpublish()
    cache.clear()
    html = client.get("/").content.decode()
    assert "Find a training course" not in html
    assert f'href="{catalogue.url}"' not in html
