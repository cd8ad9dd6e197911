import json
from datetime import timedelta

import pytest
from django.utils import timezone

from portal.payments import services
from portal.payments.services import base
from tests.stripe_standin import sign, stripe_standin  # noqa: F401 - the fixture

PURPOSE = "tests.thing"
WEBHOOK_URL = "/payments/stripe/webhook/"


class RecordingHandler:
    """A feature's handler: records each call; `honour` decides on_paid's answer."""

    def __init__(self):
        self.honour = True
        self.paid: list[int] = []
        self.expired: list[int] = []
        self.refunded: list[tuple[int, int]] = []

    def on_paid(self, payment):
        self.paid.append(payment.pk)
        return self.honour

    def on_expired(self, payment):
        self.expired.append(payment.pk)

    def on_refunded(self, payment, refund):
        self.refunded.append((payment.pk, refund.amount_pence))


@pytest.fixture
def handler():
    recording = RecordingHandler()
    services.register_handler(PURPOSE, recording)
    yield recording
    base._handlers.pop(PURPOSE)


def start(**overrides):
    arguments = {
        "purpose": PURPOSE,
        "reference": "BK-1001",
        "amount_pence": 4500,
        "description": "Domestic abuse awareness, level 1",
        "customer_email": "payer@example.com",
        "success_url": "http://testserver/done?session={CHECKOUT_SESSION_ID}",
        "cancel_url": "http://testserver/cancelled",
        "hold_expires_at": timezone.now() + timedelta(minutes=15),
        **overrides,
    }
    return services.start_checkout(**arguments)


def post_event(client, event, *, signature=None):
    payload = json.dumps(event)
    return client.post(
        WEBHOOK_URL,
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload) if signature is None else signature,
    )
