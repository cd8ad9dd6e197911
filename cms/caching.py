"""Cache-Control for public pages: a reverse proxy may keep what an anonymous reader gets;
the reader's own browser keeps nothing it has not checked again (a shared phone)."""

from datetime import datetime, time, timedelta
from functools import cached_property

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control

from cms import page_cache

# How long a reverse proxy may serve a public page without asking again.
SHARED_MAX_AGE = 300


def shared_max_age(request) -> int:
    """Five minutes, or less when the helpline opens or closes sooner, so "Open now" is never
    stale in the proxy, or when the day changes sooner, so the drop-ins "this week" and
    "today" are never yesterday's."""
    max_age = min(SHARED_MAX_AGE, seconds_until_tomorrow())
    status = getattr(request, "_cms_helpline_status", None)
    if status is not None and status.seconds_until_change() is not None:
        max_age = min(max_age, status.seconds_until_change())
    return max_age


def seconds_until_tomorrow() -> int:
    now = timezone.localtime()
    midnight = datetime.combine(now.date() + timedelta(days=1), time(), tzinfo=now.tzinfo)
    return max(1, int((midnight - now).total_seconds()))


def apply_cache_policy(request, response, *, restricted: bool = False):
    """Anonymous GETs of unrestricted pages without a form: a reverse proxy may keep them
    (s-maxage), browsers must check again before each use (max-age=0, must-revalidate), so
    the guidance someone read is not simply there for the next person on the device.
    Anything else, including a page behind a password or sign-in, is private and not
    stored: a signed-in person may be on a shared device."""

    def decide(response):
        if "Cache-Control" in response:
            return response
        shareable = (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not restricted
            and not request.user.is_authenticated
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not response.cookies
        )
        if not shareable:
            add_never_cache_headers(response)  # private, no-cache, no-store
            return response
        max_age = shared_max_age(request)
        patch_cache_control(
            response, public=True, max_age=0, s_maxage=max_age, must_revalidate=True
        )
        page_cache.shareable_for(response, max_age)
        return response

    if hasattr(response, "add_post_render_callback") and not response.is_rendered:
        response.add_post_render_callback(decide)
        return response
    return decide(response)


class PublicPageMixin:
    """For Page models: apply the public cache policy to what serve() returns. A page with a
    view restriction (its own or an ancestor's: a password, signing in, groups) is never
    shared, even with an anonymous reader who has given the password.

    Serving reads the page's ancestors once (`serving_ancestors`, also the breadcrumbs) and
    learns from the same query whether any of them, or the page, is restricted; Wagtail's own
    check and the cache policy then ask no more of the database for an unrestricted page."""

    def serve(self, request, *args, **kwargs):
        restricted = bool(self.get_view_restrictions())
        return apply_cache_policy(
            request, super().serve(request, *args, **kwargs), restricted=restricted
        )

    def serve_password_required_response(self, request, form, action_url):
        response = super().serve_password_required_response(request, form, action_url)
        return apply_cache_policy(request, response, restricted=True)

    def route(self, request, path_components):
        """As Wagtail's, but the pages on the way, and the ancestors above, are read in one
        query and only the page served is read as its own type. A page on the way that routes
        in its own way (a RoutablePage) is handed the rest of the path, as Wagtail would."""
        from wagtail.models import Page

        if not path_components:
            return super().route(request, path_components)
        depths = range(self.depth + 1, self.depth + len(path_components) + 1)
        rows = list(
            _pages_with_restrictions(
                Q(path__in=self._ancestor_paths(self.depth))
                | Q(path__startswith=self.path, depth__in=depths, slug__in=path_components)
            )
        )
        lineage = [page for page in rows if page.depth <= self.depth]
        parent, walked = self, []
        for position, slug in enumerate(path_components):
            child = next(
                (
                    page
                    for page in rows
                    if page.depth == parent.depth + 1
                    and page.path.startswith(parent.path)
                    and page.slug == slug
                ),
                None,
            )
            if child is None:
                raise Http404
            child._cached_parent_obj = parent
            walked.append(child)
            remaining = path_components[position + 1 :]
            routes = (child.specific_class or Page).route
            if remaining and routes not in (Page.route, PublicPageMixin.route):
                return child.specific.route(request, remaining)
            parent = child
        page = parent.specific
        page._cached_parent_obj = parent._cached_parent_obj
        if isinstance(page, PublicPageMixin):
            page.__dict__["_lineage"] = lineage + walked
        return page.route(request, [])

    def _ancestor_paths(self, depth: int) -> list[str]:
        return [self.path[: level * self.steplen] for level in range(1, depth + 1)]

    @cached_property
    def _lineage(self) -> list:
        """The root, the page's ancestors and the page itself (as a plain Page), each marked
        `is_restricted` when it, or the page it is an alias of, has a view restriction."""
        return list(_pages_with_restrictions(Q(path__in=self._ancestor_paths(self.depth))))

    @property
    def breadcrumb_ancestors(self) -> list:
        """The ancestors below the root (the site's home page first), in one query shared
        with the view restriction check."""
        return [page for page in self._lineage[1:] if page.path != self.path]

    def get_view_restrictions(self):
        """As Wagtail's (the page's own and its ancestors', through aliases), but an
        unrestricted page learns that from `_lineage` alone."""
        from wagtail.models import PageViewRestriction

        checked = {page.alias_of_id or page.pk for page in self._lineage if page.is_restricted}
        if not checked:
            return PageViewRestriction.objects.none()
        return PageViewRestriction.objects.filter(page_id__in=checked)


def _pages_with_restrictions(where: Q):
    from wagtail.models import Page, PageViewRestriction

    restricted = PageViewRestriction.objects.filter(
        page_id=Coalesce(OuterRef("alias_of_id"), OuterRef("pk"))
    )
    return Page.objects.filter(where).annotate(is_restricted=Exists(restricted)).order_by("path")
