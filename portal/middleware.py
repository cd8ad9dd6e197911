from urllib.parse import urlencode

from django.contrib import messages
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

from portal import csp

STAFF_AREA_PREFIX = "/admin/"

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)


class SecurityHeadersMiddleware:
    """The headers Django's SecurityMiddleware does not set itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The staff area's pages get a nonce for Wagtail's inline initialisers (portal.csp).
        nonce = request.csp_nonce = csp.new_nonce() if _is_staff_area(request) else None
        response = self.get_response(request)
        if "Content-Security-Policy" not in response.headers:
            response.headers["Content-Security-Policy"] = csp.content_security_policy(nonce)
            if nonce and _is_html(response):
                _nonce_wagtail_initialisers(request, response, nonce)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


def _is_staff_area(request) -> bool:
    return request.path_info.startswith(STAFF_AREA_PREFIX)


def _is_html(response) -> bool:
    return not response.streaming and response.get("Content-Type", "").startswith("text/html")


def _nonce_wagtail_initialisers(request, response, nonce: str) -> None:
    charset = response.charset
    html = response.content.decode(charset)
    nonced = csp.nonce_wagtail_initialisers(html, nonce, request.path)
    if nonced != html:
        response.content = nonced.encode(charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))


class PrivateWhenSignedInMiddleware:
    """What a signed-in person is shown is theirs: no shared cache or back/forward cache may
    keep it (they may be on a shared device). Responses that say how they may be cached, such
    as the public pages' own policy, keep what they say."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if "Cache-Control" not in response and user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class NoReferrerCsrfViewMiddleware(CsrfViewMiddleware):
    """CSRF protection that works with `Referrer-Policy: no-referrer`.

    Under that policy browsers send `Origin: null` (and no Referer) on our own form posts,
    which Django's origin check refuses. Such a post is accepted only when the browser also
    says, in Sec-Fetch-Site, that it came from our own origin (sandboxed or foreign frames
    say cross-site); the CSRF token is then checked as ever. Any other origin is refused.
    """

    def _origin_verified(self, request):
        if request.META.get("HTTP_ORIGIN") == "null":
            return request.META.get("HTTP_SEC_FETCH_SITE") == "same-origin"
        return super()._origin_verified(request)


class StaffMFARequiredMiddleware:
    """Nobody opens the staff area without a second factor: staff without an authenticator
    are sent to set one up, and a session whose own sign-in did not use it (or that has not
    given a code since) must give a code. A code recorded in another sign-in does not count:
    see portal.accounts.second_factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from portal.accounts import second_factor

        user = request.user
        if (
            request.path_info.startswith(STAFF_AREA_PREFIX)
            and user.is_authenticated
            and user.needs_mfa_for_staff_area
        ):
            next_query = urlencode({"next": request.get_full_path()})
            if not second_factor.has_totp(user):
                messages.warning(
                    request,
                    "Set up an authenticator app before you open the staff area. "
                    "It protects the personal data staff can see.",
                )
                return redirect(f"{reverse('mfa_activate_totp')}?{next_query}")
            if not second_factor.signed_in_with_second_factor(request, user):
                return redirect(f"{reverse('mfa_reauthenticate')}?{next_query}")
        return self.get_response(request)
