from django.conf import settings
from django.utils.functional import SimpleLazyObject

from cms import navigation, selectors


def portal(request):
    """Site-wide context. Everything that needs a query is lazy and computed once a request,
    so templates that do not show it (the staff area, emails) cost nothing."""

    def links():
        if not hasattr(request, "_portal_site_links"):
            from wagtail.models import Site

            request._portal_site_links = navigation.site_links(Site.find_for_request(request))
        return request._portal_site_links

    def navigation_items():
        items = []
        for item in links()["navigation"]:
            active = request.path == item["url"] or (
                item["url"] != "/" and request.path.startswith(item["url"])
            )
            items.append({**item, "active": active})
        return items

    return {
        "SERVICE_NAME": settings.SERVICE_NAME,
        "portal_navigation": SimpleLazyObject(navigation_items),
        "portal_footer_links": SimpleLazyObject(lambda: links()["footer"]),
        # The course catalogue ({"title", "url"}) or None: the home page points to it.
        "portal_training": SimpleLazyObject(lambda: links().get("training")),
        # The form to ask for support ({"title", "url"}): the header and "Get help now".
        "portal_support": SimpleLazyObject(lambda: links().get("support")),
        # The "Volunteer with us" page ({"title", "url"}) or None: the home page points to it.
        "portal_volunteering": SimpleLazyObject(lambda: links().get("volunteering")),
        "helpline": SimpleLazyObject(lambda: selectors.helpline(request)),
    }
