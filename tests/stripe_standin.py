"""The Stripe stand-in (portal.payments.standin) as a pytest fixture."""

import pytest

from portal.payments.standin import (  # noqa: F401 - re-exported for the tests
    SECRET_KEY,
    WEBHOOK_SECRET,
    RecordedRequest,
    StripeError,
    StripeStandIn,
    decode_form,
    sign,
)


@pytest.fixture
def stripe_standin(settings):
    """A running stand-in, with the portal's Stripe settings pointing at it."""
    standin = StripeStandIn().start()
    settings.STRIPE_API_BASE = standin.url
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = standin.webhook_secret
    yield standin
    standin.stop()
