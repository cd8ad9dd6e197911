"""The webhook's answers to signed events of odd shape, signatures dated ahead of our clock,
and events naming what Stripe does not know: a 400 for what is not an event, a 2xx (logged)
for an event we cannot act on, never a 500, and a 503 only when Stripe cannot be asked."""

import json
import logging
import time

import pytest

from portal.payments.models import Payment, StripeEvent
from portal.payments.services import webhooks
from tests.payments.conftest import WEBHOOK_URL, post_event, start
from tests.stripe_standin import sign

pytestmark = pytest.mark.django_db


def _post_raw(client, payload: str, **sign_kwargs):
    return client.post(
        WEBHOOK_URL,
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, **sign_kwargs),
    )


def _event(**overrides) -> dict:
    return {
        "id": "evt_odd_1",
        "object": "event",
        "type": "checkout.session.completed",
        "data": {"object": {"id": "cs_test_x"}},
        **overrides,
    }


@pytest.mark.parametrize(
    "event",
    [
        _event(data=[]),
        _event(data=["object"]),
        _event(data="object"),
        _event(data=None),
        _event(data={"object": "cs_test_x"}),
        _event(data={"object": []}),
        _event(id="evt_\x00"),
        _event(id="evt_" + "a" * 252),
        _event(id=""),
        _event(id=12),
        _event(type="checkout.session.\x00"),
        _event(type="x" * 101),
        _event(type=["checkout.session.completed"]),
        [],
        "event",
        12,
        None,
    ],
    ids=lambda event: json.dumps(event)[:40],
)
def test_a_signed_payload_that_is_not_an_event_is_refused_not_a_server_error(
    client, stripe_standin, handler, event
):
    response = _post_raw(client, json.dumps(event))
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_an_event_id_of_stripes_longest_length_is_accepted(client, stripe_standin, handler):
    response = _post_raw(client, json.dumps(_event(id="evt_" + "a" * 251, type="customer.created")))
    assert response.status_code == 200
    assert StripeEvent.objects.get().event_id == "evt_" + "a" * 251


@pytest.mark.parametrize("ahead", [120, 3600, 10**9])
def test_a_signature_dated_in_the_future_is_refused(client, stripe_standin, handler, ahead):
    payload = json.dumps(_event(type="customer.created"))
    response = _post_raw(client, payload, timestamp=int(time.time()) + ahead)
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_a_little_clock_skew_is_tolerated(client, stripe_standin, handler):
    payload = json.dumps(_event(type="customer.created"))
    response = _post_raw(client, payload, timestamp=int(time.time()) + 10)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("event_type", "obj"),
    [
        ("checkout.session.completed", {"id": "cs_test_nobody_knows"}),
        ("checkout.session.expired", {"id": "cs_test_nobody_knows"}),
        ("payment_intent.payment_failed", {"id": "pi_nobody_knows"}),
        ("charge.refunded", {"id": "ch_1", "payment_intent": "pi_nobody_knows"}),
        ("charge.refunded", {"id": "ch_1", "payment_intent": None}),
        ("checkout.session.completed", {"id": "cs_\x00"}),
        ("checkout.session.completed", {}),
    ],
)
def test_an_event_naming_what_stripe_does_not_know_is_acknowledged_and_logged(
    client, stripe_standin, handler, caplog, event_type, obj
):
    payment = start()
    with caplog.at_level(logging.WARNING, logger="portal.payments.services"):
        response = post_event(client, stripe_standin.event(event_type, obj))
    assert response.status_code == 200
    assert response.content.startswith(b"ignored: not one of our")
    assert StripeEvent.objects.get().processed_at is not None
    assert "ignored" in caplog.text
    payment.refresh_from_db()
    assert payment.status == Payment.Status.OPEN


def test_stripe_out_of_reach_still_asks_for_a_retry(client, stripe_standin, handler, settings):
    payment = start()
    event = stripe_standin.event(
        "checkout.session.completed", {"id": payment.stripe_checkout_session_id}
    )
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    response = post_event(client, event)
    assert response.status_code == 503
    assert not StripeEvent.objects.filter(processed_at__isnull=False).exists()


def test_a_payment_id_in_metadata_with_other_digits_is_not_a_payment(stripe_standin):
    class Named:
        def __init__(self, payment_id):
            self.payment_id = payment_id

        def to_dict(self):
            return {"metadata": {"payment_id": self.payment_id}}

    assert webhooks._metadata_payment_id(Named("²")) is None
    assert webhooks._metadata_payment_id(Named("١٢")) is None
    assert webhooks._metadata_payment_id(Named("12")) == 12
