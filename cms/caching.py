"""Cache-Control for public pages: a reverse proxy may keep what an anonymous reader gets."""

from django.utils.cache import add_never_cache_headers, patch_cache_control

PUBLIC_MAX_AGE = 300


def apply_cache_policy(request, response):
    """Anonymous GETs of pages without a form: public for five minutes, or less when the
    helpline opens or closes sooner, so "Open now" is never stale. Anything else is private
    and not stored: a signed-in person may be on a shared device."""

    def decide(response):
        if "Cache-Control" in response:
            return response
        shareable = (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not request.user.is_authenticated
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not response.cookies
        )
        if not shareable:
            add_never_cache_headers(response)
            return response
        max_age = PUBLIC_MAX_AGE
        status = getattr(request, "_cms_helpline_status", None)
        if status is not None and status.seconds_until_change() is not None:
            max_age = min(max_age, status.seconds_until_change())
        patch_cache_control(response, public=True, max_age=max_age)
        return response

    if hasattr(response, "add_post_render_callback") and not response.is_rendered:
        response.add_post_render_callback(decide)
        return response
    return decide(response)


class PublicPageMixin:
    """For Page models: apply the public cache policy to what serve() returns."""

    def serve(self, request, *args, **kwargs):
        return apply_cache_policy(request, super().serve(request, *args, **kwargs))
