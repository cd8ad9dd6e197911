"""Whole public pages kept in the portal's own cache for anonymous readers.

A campaign sends everyone to the same few pages at once, and not every council's hosting has
a caching proxy to honour `s-maxage`. So the portal keeps the responses `cms.caching` marks
shareable (an anonymous GET of an unrestricted page with no form, no cookie set) in the
configured cache (Redis or the database: shared by every process, never per process), for as
long as a proxy could keep them, and serves them to the next reader who sends no cookie at all.
A reader with any cookie (a session, a CSRF token, a signed-in person) never gets or fills an
entry.

Purging is one rule: any change to public content (`PUBLIC_CONTENT_APPS`, any app's Wagtail
pages, or a model an app registers with `shows_on_public_pages`) moves the cache to a new
generation (at once, and again once the change commits), so every later reader gets a fresh
page; old entries are never read again and lapse. A request reads the generation before it
reads any content and stores under that one, so a page built from data read just before a
change can never be stored as current.
"""

import hashlib

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

GENERATION_KEY = "public-page-cache:generation"
PUBLIC_CONTENT_APPS = {
    "cms",
    "courses",
    "taggit",
    "wagtailcore",
    "wagtaildocs",
    "wagtailimages",
    "wagtailredirects",
}
_public_models: set = set()


def shows_on_public_pages(*models) -> None:
    """A model outside `PUBLIC_CONTENT_APPS` whose rows public pages show (a locality)."""
    _public_models.update(models)


def shareable_for(response, seconds: int) -> None:
    """How long `cms.caching` lets a proxy keep this response; the portal keeps it as long."""
    response.public_page_cache_seconds = seconds


def purge() -> None:
    """Every public page is built again for the next reader: at once, and again when the
    change commits (a reader between the two may have built a page from the old rows)."""
    _next_generation()
    transaction.on_commit(_next_generation)


def remember(name: str, build, timeout: int = 3600):
    """What `build()` returns, kept in the cache until public content next changes: for the
    rows every public page reads (the helpline's settings). Stored under the generation read
    before building, as pages are, so it is never older than the generation it claims."""
    key = f"public-page-data:{_generation()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=timeout)
    return value


def _generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 0, timeout=None)


def _next_generation() -> None:
    cache.add(GENERATION_KEY, 0, timeout=None)
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # evicted between add and incr: any new value is a new generation
        cache.set(GENERATION_KEY, 1, timeout=None)


def _key(request, generation: int) -> str:
    query = "&".join(sorted(request.GET.urlencode().split("&")))
    page = f"{request.get_host()}\n{request.path}\n{query}"
    return f"public-page:{generation}:{hashlib.sha256(page.encode()).hexdigest()}"


class AnonymousPageCacheMiddleware:
    """Outside the session, CSRF and authentication middleware: a hit skips them all, and a
    miss is seen with every cookie the inner ones set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "GET" or request.COOKIES:
            return self.get_response(request)
        key = _key(request, _generation())
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = self.get_response(request)
        seconds = getattr(response, "public_page_cache_seconds", 0)
        if (
            seconds > 0
            and response.status_code == 200
            and not response.cookies
            and not response.streaming
        ):
            cache.set(key, response, timeout=seconds)
        return response


def _content_changed(sender, **kwargs) -> None:
    from wagtail.models import Page

    if (
        sender._meta.app_label in PUBLIC_CONTENT_APPS
        or sender in _public_models
        or issubclass(sender, Page)  # any app's pages (volunteering roles)
    ):
        purge()


def connect() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_content_changed, dispatch_uid=f"public-page-cache-{signal}")
