"""The one place that builds the Stripe client, so every request goes to the configured base."""

from urllib.parse import urlsplit

import stripe
from django.conf import settings

STRIPE_CHECKOUT_ORIGIN = "https://checkout.stripe.com"
# A request to Stripe that hangs must not hold a web worker (or a row lock) for long.
TIMEOUT_SECONDS = 20


class NotConfigured(RuntimeError):
    """No Stripe key is set: nothing may be sent to Stripe (it would go with an empty key)."""


def configured() -> bool:
    """Card payments can be taken: a secret key is set."""
    return bool(settings.STRIPE_SECRET_KEY)


def client() -> stripe.StripeClient:
    if not configured():
        raise NotConfigured("STRIPE_SECRET_KEY is not set.")
    base_addresses = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else {}
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses=base_addresses,
        max_network_retries=2,
        http_client=stripe.new_default_http_client(timeout=TIMEOUT_SECONDS),
    )


def checkout_origin() -> str:
    """Where the payer's browser goes to pay: Stripe's hosted checkout, or, when the API is
    pointed elsewhere (the test stand-in), that server, which also hosts its checkout page."""
    parts = urlsplit(settings.STRIPE_API_BASE)
    if not parts.hostname or parts.hostname.endswith("stripe.com"):
        return STRIPE_CHECKOUT_ORIGIN
    return f"{parts.scheme}://{parts.netloc}"
