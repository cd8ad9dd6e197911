"""What counts as the second factor, for the staff area and for the authenticator's settings.

allauth keeps a log of the authentications made in a session ("authentication records":
password, mfa, each with a time). Any record is not enough:

- the staff area opens only when *this session's sign-in* used the authenticator (its code
  came after the password of the same sign-in), or when a code was given in this session
  after it signed in. What the sign-in used is noted when it happens (`note_sign_in`, on
  Django's `user_logged_in`), so a sign-in made any other way counts as password only;
- for an account that has an authenticator, its settings (recovery codes, deactivating or
  replacing it) need a fresh code, never the password: whoever knows the password could
  otherwise take the second factor over.
"""

from __future__ import annotations

import time

from django.http import HttpRequest

SIGN_IN_SESSION_KEY = "portal.sign_in"


def _records(request: HttpRequest, user) -> list[dict]:
    from allauth.account.internal.flows.login import get_authentication_records

    return [r for r in get_authentication_records(request, user) if isinstance(r, dict)]


def _login_timeout() -> int:
    from allauth.account import app_settings

    return app_settings.LOGIN_TIMEOUT


def note_sign_in(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """On every sign-in: note when it happened and whether its own steps included a code.

    allauth records the password, then the code, then signs in; the code counts only if it
    followed the password given for this sign-in, within allauth's login timeout.
    """
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    # A sign-in again in the same session (Django keeps the session, and allauth's records,
    # when the same person signs in twice) must bring its own steps, not the last one's.
    previous = request.session.get(SIGN_IN_SESSION_KEY)
    since = _timestamp(previous) if isinstance(previous, dict) else 0.0
    records = [r for r in _records(request, user) if _timestamp(r) > since]
    first_factors = [
        r
        for r in records
        if r.get("method") != "mfa"
        and not r.get("reauthenticated")
        and now - _timestamp(r) <= _login_timeout()
    ]
    used_second_factor = False
    if first_factors:
        started = _timestamp(first_factors[-1])
        used_second_factor = any(
            r.get("method") == "mfa" and _timestamp(r) >= started for r in records
        )
    request.session[SIGN_IN_SESSION_KEY] = {
        "at": now,
        "user": str(user.pk),
        "second_factor": used_second_factor,
    }


def _timestamp(record: dict) -> float:
    try:
        return float(record.get("at", 0))
    except (TypeError, ValueError):
        return 0.0


def signed_in_with_second_factor(request: HttpRequest, user) -> bool:
    """Whether this session's sign-in used the authenticator, or a code was given since."""
    sign_in = request.session.get(SIGN_IN_SESSION_KEY)
    if not isinstance(sign_in, dict) or sign_in.get("user") != str(user.pk):
        return False  # signed in before sign-ins were noted, or as someone else: ask again
    if sign_in.get("second_factor") is True:
        return True
    signed_in_at = _timestamp(sign_in)
    return any(
        r.get("method") == "mfa" and _timestamp(r) >= signed_in_at for r in _records(request, user)
    )


def recently_gave_a_code(request: HttpRequest, user) -> bool:
    """A code given to re-check who this is, within allauth's re-authentication timeout."""
    from allauth.account import app_settings

    timeout = app_settings.REAUTHENTICATION_TIMEOUT
    now = time.time()
    return any(
        r.get("method") == "mfa" and r.get("reauthenticated") and now - _timestamp(r) < timeout
        for r in _records(request, user)
    )


def has_authenticator(user) -> bool:
    from allauth.mfa.utils import is_mfa_enabled

    return user.is_authenticated and is_mfa_enabled(user)


def has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
