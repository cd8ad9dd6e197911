import json
import time
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from portal import notify
from portal.payments import services, tasks
from portal.payments.models import Payment, Refund, StripeEvent
from tests.payments.conftest import post_event, start
from tests.stripe_standin import sign

pytestmark = pytest.mark.django_db


def completed(standin, payment):
    return standin.event(
        "checkout.session.completed", standin.pay(payment.stripe_checkout_session_id)
    )


def test_checkout_opens_a_session_that_lives_stripes_minimum_while_our_hold_is_shorter(
    stripe_standin, handler
):
    payment = start()
    assert payment.status == Payment.Status.OPEN
    assert (
        payment.checkout_url
        == f"{stripe_standin.url}/checkout/{payment.stripe_checkout_session_id}"
    )
    [create] = stripe_standin.writes()
    assert create.path == "/v1/checkout/sessions"
    assert create.idempotency_key == f"payment-{payment.pk}-checkout"
    assert create.params["metadata"] == {
        "payment_id": str(payment.pk),
        "purpose": "tests.thing",
        "reference": "BK-1001",
    }
    assert create.params["line_items"][0]["price_data"]["unit_amount"] == "4500"
    lives_for = payment.checkout_expires_at - timezone.now()
    assert timedelta(minutes=30) < lives_for <= services.CHECKOUT_SHORTEST
    assert payment.hold_expires_at < payment.checkout_expires_at


def test_starting_checkout_twice_creates_one_session(stripe_standin, handler):
    first = start()
    second = start()
    assert second.pk == first.pk
    assert second.checkout_url == first.checkout_url
    assert len(stripe_standin.writes()) == 1
    assert Payment.objects.count() == 1


def test_a_lost_response_is_retried_with_the_same_key_and_gets_the_same_session(
    stripe_standin, handler
):
    payment = start()
    session_id = payment.stripe_checkout_session_id
    # As if our process died after Stripe created the session but before we saved it.
    Payment.objects.filter(pk=payment.pk).update(stripe_checkout_session_id="", checkout_url="")
    # A minute later: the retry must send the very same parameters under the same key.
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        again = start()
    assert again.stripe_checkout_session_id == session_id
    assert len(stripe_standin.sessions) == 1
    keys = [r.idempotency_key for r in stripe_standin.writes()]
    assert keys == [f"payment-{payment.pk}-checkout"] * 2


def test_when_stripe_cannot_be_reached_starting_again_later_works(
    settings, stripe_standin, handler
):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    with pytest.raises(services.PaymentError, match="could not be reached, so nothing was charged"):
        start()
    assert Payment.objects.get().stripe_checkout_session_id == ""
    settings.STRIPE_API_BASE = stripe_standin.url
    payment = start()
    assert payment.checkout_url
    assert Payment.objects.count() == 1


def test_a_free_checkout_is_refused(stripe_standin, handler):
    with pytest.raises(ValueError):
        start(amount_pence=0)


def test_success_is_confirmed_once_from_what_stripe_says(client, stripe_standin, handler):
    payment = start()
    response = post_event(client, completed(stripe_standin, payment))
    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID
    assert payment.paid_at is not None
    assert payment.stripe_payment_intent_id.startswith("pi_")
    assert handler.paid == [payment.pk]
    # The payload named the session; we asked Stripe about it before acting.
    retrieve = [r for r in stripe_standin.requests if r.method == "GET"]
    assert retrieve[-1].path == f"/v1/checkout/sessions/{payment.stripe_checkout_session_id}"


def test_a_replayed_event_changes_nothing(client, stripe_standin, handler):
    payment = start()
    event = completed(stripe_standin, payment)
    assert post_event(client, event).status_code == 200
    requests_before = len(stripe_standin.requests)
    response = post_event(client, event)
    assert response.status_code == 200
    assert response.content == b"replay: ignored"
    assert handler.paid == [payment.pk]
    assert StripeEvent.objects.count() == 1
    assert len(stripe_standin.requests) == requests_before


def test_a_forged_completion_is_not_believed(client, stripe_standin, handler):
    payment = start()
    # Correctly signed (e.g. a leaked secret) but the session is still unpaid at Stripe.
    forged = stripe_standin.event(
        "checkout.session.completed",
        {"id": payment.stripe_checkout_session_id, "status": "complete", "payment_status": "paid"},
    )
    assert post_event(client, forged).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.OPEN
    assert handler.paid == []


def test_expiry_at_stripe_releases_the_hold_once(client, stripe_standin, handler):
    payment = start()
    expired = stripe_standin.event(
        "checkout.session.expired", stripe_standin.expire(payment.stripe_checkout_session_id)
    )
    assert post_event(client, expired).status_code == 200
    assert (
        post_event(
            client, stripe_standin.event("checkout.session.expired", expired["data"]["object"])
        ).status_code
        == 200
    )
    payment.refresh_from_db()
    assert payment.status == Payment.Status.EXPIRED
    assert handler.expired == [payment.pk]


def test_the_sweep_expires_checkouts_whose_hold_lapsed(client, stripe_standin, handler):
    payment = start()
    other = start(reference="BK-1002", hold_expires_at=timezone.now() + timedelta(hours=1))
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        tasks.sweep()
    payment.refresh_from_db()
    other.refresh_from_db()
    assert payment.status == Payment.Status.EXPIRED
    assert other.status == Payment.Status.OPEN
    assert handler.expired == [payment.pk]
    assert stripe_standin.sessions[payment.stripe_checkout_session_id]["status"] == "expired"
    expire = stripe_standin.writes()[-1]
    assert expire.path.endswith("/expire")
    assert expire.idempotency_key == f"payment-{payment.pk}-expire"
    # Stripe's own expiry event then arrives: nothing more happens.
    event = stripe_standin.event(
        "checkout.session.expired", stripe_standin.sessions[payment.stripe_checkout_session_id]
    )
    post_event(client, stripe_standin.public(event))
    assert handler.expired == [payment.pk]
    # A new checkout for the same reference is a new attempt.
    assert start().pk != payment.pk


def test_expired_arriving_after_completed_does_not_unpay(client, stripe_standin, handler):
    payment = start()
    session = stripe_standin.pay(payment.stripe_checkout_session_id)
    post_event(client, stripe_standin.event("checkout.session.completed", session))
    stale = stripe_standin.event("checkout.session.expired", {**session, "status": "expired"})
    assert post_event(client, stale).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID
    assert handler.expired == []


def test_completed_after_the_hold_was_released_is_paid_when_the_handler_can_still_honour_it(
    client, stripe_standin, handler
):
    payment = start()
    session = stripe_standin.pay(payment.stripe_checkout_session_id)
    # Our record says the hold was released before Stripe's completion reaches us.
    Payment.objects.filter(pk=payment.pk).update(status=Payment.Status.EXPIRED)
    post_event(client, stripe_standin.event("checkout.session.completed", session))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID
    assert handler.paid == [payment.pk]
    assert not Refund.objects.exists()


def test_paid_after_the_hold_lapsed_with_nothing_left_is_refunded_and_the_payer_told(
    client, stripe_standin, handler, django_capture_on_commit_callbacks
):
    handler.honour = False
    payment = start()
    # The payer pays just as our hold lapses; the completion webhook is delayed.
    session = stripe_standin.pay(payment.stripe_checkout_session_id)
    with (
        time_machine.travel(timezone.now() + timedelta(minutes=16)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tasks.sweep()  # Stripe refuses to expire a paid session, and says it was paid
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REFUNDED
    assert payment.refunded_pence == 4500
    assert handler.paid == [payment.pk]
    assert handler.expired == []
    [refund] = Refund.objects.all()
    assert refund.status == Refund.Status.SUCCEEDED
    assert refund.stripe_refund_id in stripe_standin.refunds
    assert stripe_standin.charges[next(iter(stripe_standin.charges))]["refunded"] is True
    assert handler.refunded == [(payment.pk, 4500)]
    [email] = mail.outbox
    assert email.to == ["payer@example.com"]
    assert "refunded the full £45.00" in email.body
    # The delayed completion now arrives: nothing is paid or refunded twice.
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, stripe_standin.event("checkout.session.completed", session))
    assert handler.paid == [payment.pk]
    assert len(stripe_standin.refunds) == 1
    assert len(mail.outbox) == 1


def test_completed_after_expired_is_refunded_by_webhook_when_the_handler_refuses(
    client, stripe_standin, handler, django_capture_on_commit_callbacks
):
    handler.honour = False
    payment = start()
    session = stripe_standin.pay(payment.stripe_checkout_session_id)
    Payment.objects.filter(pk=payment.pk).update(status=Payment.Status.EXPIRED)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(client, stripe_standin.event("checkout.session.completed", session))
    assert response.content == b"paid but not honoured: refunded"
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REFUNDED
    assert len(stripe_standin.refunds) == 1
    assert len(mail.outbox) == 1
    # The message is about the payment: erasing the payment's messages takes it away.
    assert notify.erase_for(payment) == 1


def test_a_declined_card_leaves_checkout_open_for_another_try(client, stripe_standin, handler):
    payment = start()
    session = stripe_standin.pay(payment.stripe_checkout_session_id)
    # Build a failed intent for an open checkout: the payer can still try another card.
    stripe_standin.sessions[session["id"]].update(status="open", payment_status="unpaid")
    event = stripe_standin.event(
        "payment_intent.payment_failed",
        {"id": session["payment_intent"], "object": "payment_intent"},
    )
    assert post_event(client, event).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.OPEN
    assert handler.expired == []


@pytest.mark.parametrize(
    "signature",
    [None, "t=1700000000,v1=" + "0" * 64, sign("{}", secret="whsec_someone_else")],
    ids=["missing", "forged", "wrong secret"],
)
def test_a_webhook_without_a_valid_signature_is_refused(client, stripe_standin, handler, signature):
    event = stripe_standin.event("checkout.session.completed", {"id": "cs_test_x"})
    headers = {} if signature is None else {"HTTP_STRIPE_SIGNATURE": signature}
    response = client.post(
        "/payments/stripe/webhook/", json.dumps(event), content_type="application/json", **headers
    )
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_a_stale_or_altered_webhook_is_refused(client, stripe_standin, handler):
    event = stripe_standin.event("checkout.session.completed", {"id": "cs_test_x"})
    payload = json.dumps(event)
    stale = sign(payload, timestamp=int(time.time()) - 600)
    response = client.post(
        "/payments/stripe/webhook/",
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=stale,
    )
    assert response.status_code == 400
    altered = payload.replace("cs_test_x", "cs_test_y")
    response = client.post(
        "/payments/stripe/webhook/",
        altered,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload),
    )
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_the_webhook_only_accepts_post(client):
    assert client.get("/payments/stripe/webhook/").status_code == 405


def test_an_unknown_event_type_is_acknowledged_and_ignored(client, stripe_standin, handler):
    event = stripe_standin.event("customer.created", {"id": "cus_123", "object": "customer"})
    response = post_event(client, event)
    assert response.status_code == 200
    assert StripeEvent.objects.get().outcome == "ignored: not a type we handle"
    assert stripe_standin.requests == []


def test_an_event_for_someone_elses_checkout_is_ignored(client, stripe_standin, handler):
    other = stripe_standin._create_session(
        {
            "line_items": [{"price_data": {"currency": "gbp", "unit_amount": "100"}}],
            "success_url": "https://elsewhere.example/ok",
            "cancel_url": "https://elsewhere.example/no",
        }
    )
    response = post_event(client, stripe_standin.event("checkout.session.completed", other))
    assert response.status_code == 200
    assert response.content == b"ignored: not one of our checkouts"


def test_every_write_to_stripe_carries_an_idempotency_key(
    client, stripe_standin, handler, django_capture_on_commit_callbacks
):
    paid = start()
    post_event(client, completed(stripe_standin, paid))
    services.refund(
        Payment.objects.get(pk=paid.pk), amount_pence=1000, reason="One place cancelled"
    )
    services.refund(Payment.objects.get(pk=paid.pk), reason="Session cancelled")
    lapsed = start(reference="BK-2")
    services.expire_checkout(lapsed)
    writes = stripe_standin.writes()
    assert {w.path.split("/")[2] for w in writes} == {"checkout", "refunds"}
    assert len(writes) == 5
    assert all(w.idempotency_key for w in writes)
    assert len({w.idempotency_key for w in writes}) == len(writes)


def test_the_hosted_checkout_page_pays_and_sends_a_signed_webhook(
    live_server, stripe_standin, handler, transactional_db
):
    import urllib.request

    stripe_standin.webhook_url = f"{live_server.url}/payments/stripe/webhook/"
    payment = start()
    with urllib.request.urlopen(payment.checkout_url) as page:  # noqa: S310
        assert b'<button type="submit">Pay</button>' in page.read()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(f"{payment.checkout_url}/pay", data=b"", method="POST")
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(request)
    assert redirect.value.code == 303
    assert redirect.value.headers["Location"] == (
        f"http://testserver/done?session={payment.stripe_checkout_session_id}"
    )
    assert stripe_standin.webhook_responses == [200]
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID
    assert handler.paid == [payment.pk]
