"""The header and footer links of the public site, kept in the cache until a page changes."""

from django.core.cache import cache
from django.urls import reverse
from wagtail.models import Page, Site

CACHE_SECONDS = 3600
FOOTER_PAGE_TYPES = ("cms.SafetyPage", "cms.AccessibilityStatementPage", "cms.PrivacyNoticePage")


def _cache_key(site: Site) -> str:
    return f"cms:site-links:{site.pk}"


def site_links(site: Site | None) -> dict:
    """{"navigation": [...], "footer": [...]}, each item {"title", "url"}."""
    if site is None:
        return {"navigation": [], "footer": []}
    links = cache.get(_cache_key(site))
    if links is None:
        links = _build(site)
        cache.set(_cache_key(site), links, CACHE_SECONDS)
    return links


def _build(site: Site) -> dict:
    root = site.root_page
    menu = root.get_children().live().public().in_menu().only("title", "url_path")
    footer_pages = {
        page.content_type.model_class()._meta.label: page
        for page in Page.objects.descendant_of(root)
        .live()
        .public()
        .type(*_footer_models())
        .select_related("content_type")
        .only("title", "url_path", "content_type")
    }
    footer = [
        {"title": footer_pages[label].title, "url": footer_pages[label].relative_url(site)}
        for label in FOOTER_PAGE_TYPES
        if label in footer_pages
    ]
    footer.append({"title": "Search", "url": reverse("cms:search")})
    return {
        "navigation": [{"title": page.title, "url": page.relative_url(site)} for page in menu],
        "footer": footer,
    }


def _footer_models() -> list:
    from django.apps import apps

    return [apps.get_model(label) for label in FOOTER_PAGE_TYPES]


def forget(**kwargs) -> None:
    """Signal receiver: a page was published, unpublished, moved or deleted."""
    cache.delete_many([_cache_key(site) for site in Site.objects.all()])
