"""The portal's own cache of whole public pages (cms/page_cache.py): who gets and fills it,
and when it is purged or lapses."""

from datetime import datetime

import pytest
import time_machine
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from cms import page_cache
from cms.hours import LONDON
from cms.models import DropIn, GuidanceIndexPage, GuidancePage
from portal.localities import Locality
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _get(client, url: str):
    """The response, and whether it came from the cache (a hit reads no database row)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries) == 0


def test_an_anonymous_reader_with_no_cookie_gets_the_kept_page(client, demo_site):
    first, from_cache = _get(client, "/")
    assert not from_cache
    second, from_cache = _get(client, "/")
    assert from_cache
    assert second.status_code == 200 and second.content == first.content
    assert second.cookies == {} and "Set-Cookie" not in second
    assert second["Cache-Control"] == first["Cache-Control"]
    # The headers every response gets are added to a kept page too.
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_the_query_string_is_part_of_the_key_in_any_order(client, demo_site):
    north, _ = _get(client, "/drop-ins/?locality=north&day=monday")
    south, from_cache = _get(client, "/drop-ins/?locality=south&day=monday")
    assert not from_cache and south.content != north.content
    again, from_cache = _get(client, "/drop-ins/?day=monday&locality=north")
    assert from_cache and again.content == north.content


def test_a_reader_with_any_cookie_neither_gets_nor_fills_it(client, demo_site):
    client.cookies["anything"] = "1"
    _get(client, "/")
    _, from_cache = _get(client, "/")
    assert not from_cache
    del client.cookies["anything"]
    _, from_cache = _get(client, "/")
    assert not from_cache  # the reader with a cookie filled nothing


def test_a_signed_in_reader_neither_gets_nor_fills_it(client, demo_site):
    _get(client, "/")
    client.force_login(UserFactory(first_name="Sam"))
    signed_in, from_cache = _get(client, "/")
    assert not from_cache and "no-store" in signed_in["Cache-Control"]
    client.logout()
    client.cookies.clear()
    _get(client, "/guidance/")
    client.force_login(UserFactory())
    _get(client, "/guidance/")
    client.logout()
    client.cookies.clear()
    _, from_cache = _get(client, "/guidance/")
    assert from_cache  # what the anonymous reader filled, not the signed-in page


def test_a_page_behind_a_password_or_sign_in_is_never_kept(client, demo_site):
    article = GuidancePage.objects.get(slug="coercive-control")
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="s3cret-words"
    )
    _get(client, "/guidance/coercive-control/")
    _, from_cache = _get(client, "/guidance/coercive-control/")
    assert not from_cache
    PageViewRestriction.objects.create(
        page=GuidanceIndexPage.objects.get(), restriction_type=PageViewRestriction.LOGIN
    )
    _get(client, "/guidance/")
    response, from_cache = _get(client, "/guidance/")
    assert response.status_code == 302 and not from_cache


def test_a_restriction_added_later_purges_the_kept_page(client, demo_site):
    _get(client, "/guidance/coercive-control/")
    PageViewRestriction.objects.create(
        page=GuidancePage.objects.get(slug="coercive-control"),
        restriction_type=PageViewRestriction.PASSWORD,
        password="s3cret-words",
    )
    response, from_cache = _get(client, "/guidance/coercive-control/")
    assert not from_cache and "password" in response.content.decode().lower()


def _middleware(response):
    return page_cache.AnonymousPageCacheMiddleware(lambda request: response)


def test_a_response_that_sets_a_cookie_or_is_not_a_200_is_never_kept(db):
    for status, cookie in [(200, True), (404, False), (500, False)]:
        response = HttpResponse("page", status=status)
        page_cache.shareable_for(response, 300)
        if cookie:
            response.set_cookie("csrftoken", "x")
        request = RequestFactory().get(f"/page-{status}-{cookie}/")
        _middleware(response)(request)
        kept = _middleware(HttpResponse("other"))(RequestFactory().get(request.path))
        assert kept.content == b"other", (status, cookie)


def test_a_response_not_marked_shareable_and_a_post_are_never_kept(db):
    _middleware(HttpResponse("form"))(RequestFactory().get("/form/"))
    assert _middleware(HttpResponse("b"))(RequestFactory().get("/form/")).content == b"b"
    marked = HttpResponse("posted")
    page_cache.shareable_for(marked, 300)
    _middleware(marked)(RequestFactory().post("/posted/"))
    assert _middleware(HttpResponse("b"))(RequestFactory().get("/posted/")).content == b"b"


def test_publishing_an_article_shows_it_at_once_on_home_and_the_guidance_list(client, demo_site):
    index = GuidanceIndexPage.objects.get()
    for url in ("/", "/guidance/"):
        _get(client, url)
        assert _get(client, url)[1]
    article = GuidancePage(
        title="Economic abuse and your bank",
        slug="economic-abuse-bank",
        summary="When someone controls your money.",
    )
    index.add_child(instance=article)
    article.save_revision().publish()
    for url in ("/guidance/",):
        response, from_cache = _get(client, url)
        assert not from_cache and "Economic abuse and your bank" in response.content.decode()
    assert not _get(client, "/")[1]


def test_unpublishing_moving_and_deleting_purge(client, demo_site):
    article = GuidancePage.objects.get(slug="coercive-control")
    _get(client, "/guidance/")
    article.unpublish()
    response, from_cache = _get(client, "/guidance/")
    assert not from_cache and "/guidance/coercive-control/" not in response.content.decode()
    _get(client, "/guidance/")
    GuidancePage.objects.get(slug="coercive-control").delete()
    assert not _get(client, "/guidance/")[1]


def test_editing_a_drop_in_a_locality_or_the_helpline_purges(client, demo_site):
    from cms.models import HelplineSettings

    drop_in = DropIn.objects.get(name="Monday coffee morning")
    _get(client, "/drop-ins/")
    drop_in.venue_name = "Lighthouse Hall"
    drop_in.save_revision().publish()
    response, from_cache = _get(client, "/drop-ins/")
    assert not from_cache and "Lighthouse Hall" in response.content.decode()
    north = Locality.objects.get(slug="north")
    north.name = "North and Riverside"
    north.save()
    response, from_cache = _get(client, "/drop-ins/")
    assert not from_cache and "North and Riverside" in response.content.decode()
    _get(client, "/")
    settings = HelplineSettings.objects.get()
    settings.save()
    assert not _get(client, "/")[1]


def test_a_course_session_changing_purges(client, demo_site):
    from tests.courses import helpers

    _get(client, "/")
    helpers.session(helpers.course(GuidanceIndexPage.objects.get().get_site().root_page))
    assert not _get(client, "/")[1]


def test_a_page_kept_at_1759_on_a_friday_is_not_served_at_1800(client, demo_site):
    friday = datetime(2026, 11, 27, 17, 59, tzinfo=LONDON)
    with time_machine.travel(friday, tick=False):
        assert "Open now, until 6pm" in client.get("/").content.decode()
        assert _get(client, "/")[1]
    with time_machine.travel(friday.replace(minute=0, hour=18), tick=False):
        response, from_cache = _get(client, "/")
    assert not from_cache and "Open now" not in response.content.decode()


def test_a_page_kept_before_midnight_is_not_served_the_next_day(client, demo_site):
    # A Saturday: the helpline is closed all weekend, so only the day change bounds it.
    saturday_night = datetime(2026, 11, 28, 23, 59, 30, tzinfo=LONDON)
    with time_machine.travel(saturday_night, tick=False):
        _get(client, "/drop-ins/")
        assert _get(client, "/drop-ins/")[1]
    with time_machine.travel(datetime(2026, 11, 29, 0, 0, 1, tzinfo=LONDON), tick=False):
        assert not _get(client, "/drop-ins/")[1]
