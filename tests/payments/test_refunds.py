from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from portal.payments import services, tasks
from portal.payments.models import Payment, Refund
from tests.payments.conftest import post_event, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(client, stripe_standin, handler):
    payment = start()
    session = stripe_standin.pay(payment.stripe_checkout_session_id)
    post_event(client, stripe_standin.event("checkout.session.completed", session))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID
    return payment


def test_partial_then_full_refunds_never_more_than_was_paid(paid, stripe_standin, handler):
    first = services.refund(paid, amount_pence=1500, reason="One place cancelled")
    paid.refresh_from_db()
    assert first.status == Refund.Status.SUCCEEDED
    assert paid.status == Payment.Status.PARTIALLY_REFUNDED
    assert paid.refunded_pence == 1500
    with pytest.raises(services.PaymentError, match="at most £30.00"):
        services.refund(paid, amount_pence=3001, reason="Too much")
    rest = services.refund(paid, reason="Session cancelled")
    paid.refresh_from_db()
    assert rest.amount_pence == 3000
    assert paid.status == Payment.Status.REFUNDED
    assert paid.refunded_pence == 4500
    with pytest.raises(services.PaymentError):
        services.refund(paid, amount_pence=1, reason="Anything more")
    assert [r["amount"] for r in stripe_standin.refunds.values()] == [1500, 3000]
    assert handler.refunded == [(paid.pk, 1500), (paid.pk, 3000)]


def test_asking_twice_for_the_same_refund_refunds_once(paid, stripe_standin):
    first = services.refund(paid, amount_pence=1500, reason="Place cancelled", key="place-7")
    again = services.refund(paid, amount_pence=1500, reason="Place cancelled", key="place-7")
    assert again.pk == first.pk
    other = services.refund(paid, amount_pence=1500, reason="Place cancelled", key="place-8")
    assert other.pk != first.pk
    assert len(stripe_standin.refunds) == 2
    full = services.refund(paid, reason="Cancelled")
    assert services.refund(paid, reason="Cancelled").pk == full.pk
    assert len(stripe_standin.refunds) == 3


def test_an_unpaid_payment_cannot_be_refunded(stripe_standin, handler):
    payment = start()
    with pytest.raises(services.PaymentError, match="Only a payment that has been made"):
        services.refund(payment, reason="Cancelled")
    assert not Refund.objects.exists()


def test_a_refund_stripe_cannot_take_now_is_retried_by_the_sweep_with_the_same_key(
    settings, paid, stripe_standin, handler
):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    with pytest.raises(services.PaymentError):
        services.refund(paid, reason="Cancelled")
    refund = Refund.objects.get()
    assert refund.status == Refund.Status.PENDING
    paid.refresh_from_db()
    assert paid.refunded_pence == 4500  # reserved: nothing else can be refunded meanwhile
    settings.STRIPE_API_BASE = stripe_standin.url
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        tasks.sweep()
    refund.refresh_from_db()
    assert refund.status == Refund.Status.SUCCEEDED
    assert handler.refunded == [(paid.pk, 4500)]


def test_a_refund_stripe_refuses_gives_the_amount_back(paid, stripe_standin):
    stripe_standin.refund_in_dashboard(paid.stripe_payment_intent_id, 4000)
    with pytest.raises(services.PaymentError):
        services.refund(paid, amount_pence=1000, reason="Cancelled")
    paid.refresh_from_db()
    assert paid.refunded_pence == 0
    assert paid.status == Payment.Status.PAID
    assert Refund.objects.get().status == Refund.Status.FAILED


def test_a_refund_made_in_stripes_dashboard_is_recorded_once(client, paid, stripe_standin, handler):
    services.refund(paid, amount_pence=1000, reason="Ours")
    stripe_standin.refund_in_dashboard(paid.stripe_payment_intent_id, 500)
    charge = next(iter(stripe_standin.charges.values()))
    for _ in range(2):  # a second charge.refunded (a new event id) adds nothing
        post_event(client, stripe_standin.event("charge.refunded", charge))
    paid.refresh_from_db()
    assert paid.refunded_pence == 1500
    assert paid.status == Payment.Status.PARTIALLY_REFUNDED
    assert sorted(r.amount_pence for r in paid.refunds.all()) == [500, 1000]
    assert handler.refunded == [(paid.pk, 1000), (paid.pk, 500)]


def test_charge_refunded_before_completed_arrives_records_both(client, stripe_standin, handler):
    payment = start()
    stripe_standin.pay(payment.stripe_checkout_session_id)
    intent_id = next(iter(stripe_standin.payment_intents))
    stripe_standin.refund_in_dashboard(intent_id, 4500)
    charge = next(iter(stripe_standin.charges.values()))
    post_event(client, stripe_standin.event("charge.refunded", charge))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REFUNDED
    assert handler.paid == [payment.pk]
    assert handler.refunded == [(payment.pk, 4500)]
