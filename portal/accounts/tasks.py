"""Account work done by the task worker, away from the request (see portal.accounts.forms)."""

from allauth.account.forms import default_token_generator
from allauth.account.internal.flows.password_reset import request_password_reset
from allauth.account.internal.userkit import filter_users_by_email


def send_password_reset(email: str) -> None:
    """Email a reset link to each active account with this address; nothing to an address
    that has none (ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS is off: we never write to strangers)."""
    users = filter_users_by_email(email, is_active=True, prefer_verified=True, for_login=True)
    if users:
        request_password_reset(None, email, users, default_token_generator)
