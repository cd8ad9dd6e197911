"""Signing staff in as they really sign in: password, then a code from their authenticator."""

import time

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)

from tests.factories import PASSWORD

STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def current_code(secret: str = STAFF_TOTP_SECRET) -> str:
    """The code for now; near the end of its period, the next period's (on a busy machine the
    period could turn between reading the code and the server checking it)."""
    period = app_settings.TOTP_PERIOD
    into_period = time.time() % period
    if into_period > period - 3:
        time.sleep(period - into_period + 0.1)
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def sign_in_to_staff_area(client, user) -> None:
    """Give the user an authenticator if they have none, then sign in with both factors."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, STAFF_TOTP_SECRET)
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, "password refused"
    response = client.post("/accounts/2fa/authenticate/", {"code": current_code()})
    assert response.status_code == 302, "authenticator code refused"
