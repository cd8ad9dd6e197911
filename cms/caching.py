"""Cache-Control for public pages: a reverse proxy may keep what an anonymous reader gets;
the reader's own browser keeps nothing it has not checked again (a shared phone)."""

from datetime import datetime, time, timedelta

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
    shared, even with an anonymous reader who has given the password."""

    def serve(self, request, *args, **kwargs):
        restricted = self.get_view_restrictions().exists()
        return apply_cache_policy(
            request, super().serve(request, *args, **kwargs), restricted=restricted
        )

    def serve_password_required_response(self, request, form, action_url):
        response = super().serve_password_required_response(request, form, action_url)
        return apply_cache_policy(request, response, restricted=True)
