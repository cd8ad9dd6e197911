"""The header and footer links of the public site, kept in the cache until a page changes.

The header lists the pages shown in menus, and always the training catalogue and the
"Volunteer with us" page (a business looking for training, or someone wanting to volunteer,
finds it from every page, whether or not an editor ticked "show in menus" on it), and "Ask for
support" (the front door for support, `referrals`)."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Q
from django.urls import reverse
from wagtail.models import Page, Site

CACHE_SECONDS = 3600
FOOTER_PAGE_TYPES = ("cms.SafetyPage", "cms.AccessibilityStatementPage", "cms.PrivacyNoticePage")
CATALOGUE_PAGE_TYPE = ("courses", "TrainingIndexPage")
VOLUNTEERING_PAGE_TYPE = ("volunteers", "VolunteerIndexPage")


def _cache_key(site: Site) -> str:
    return f"cms:site-links:v3:{site.pk}"


def site_links(site: Site | None) -> dict:
    """{"navigation": [...], "footer": [...], "training", "volunteering", "support"}, the last
    three an item or None; each item {"title", "url"}: "training" is the course catalogue,
    "volunteering" the "Volunteer with us" page, "support" the form to ask for support."""
    if site is None:
        return {
            "navigation": [],
            "footer": [],
            "training": None,
            "volunteering": None,
            "support": _support(),
        }
    links = cache.get(_cache_key(site))
    if links is None:
        links = _build(site)
        cache.set(_cache_key(site), links, CACHE_SECONDS)
    return links


def _build(site: Site) -> dict:
    root = site.root_page
    in_menu = Q(show_in_menus=True)
    catalogue_type = _page_type(CATALOGUE_PAGE_TYPE)
    volunteering_type = _page_type(VOLUNTEERING_PAGE_TYPE)
    for always in (catalogue_type, volunteering_type):
        if always is not None:
            in_menu |= Q(content_type=always)
    menu = list(
        root.get_children()
        .live()
        .public()
        .filter(in_menu)
        .only("title", "url_path", "content_type")
    )
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

    def first_of(page_type: ContentType | None) -> dict | None:
        return next(
            (
                {"title": page.title, "url": page.relative_url(site)}
                for page in menu
                if page_type is not None and page.content_type_id == page_type.pk
            ),
            None,
        )

    return {
        "navigation": [{"title": page.title, "url": page.relative_url(site)} for page in menu],
        "footer": footer,
        "training": first_of(catalogue_type),
        "volunteering": first_of(volunteering_type),
        "support": _support(),
    }


def _support() -> dict | None:
    if not apps.is_installed("referrals"):
        return None
    return {"title": "Ask for support", "url": reverse("referrals:ask")}


def _page_type(label: tuple[str, str]) -> ContentType | None:
    if not apps.is_installed(label[0]):
        return None
    return ContentType.objects.get_for_model(apps.get_model(*label))


def _footer_models() -> list:
    return [apps.get_model(label) for label in FOOTER_PAGE_TYPES]


def forget(**kwargs) -> None:
    """Signal receiver: a page was published, unpublished, moved or deleted."""
    cache.delete_many([_cache_key(site) for site in Site.objects.all()])
