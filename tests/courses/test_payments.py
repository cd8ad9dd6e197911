"""Priced places through portal.payments, against the local Stripe stand-in."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import Attendee, Audience, Booking
from portal import places
from portal.payments import tasks
from portal.payments.models import Payment, Refund
from portal.places import HoldingStatus
from tests.courses import helpers
from tests.factories import UserFactory
from tests.payments.conftest import post_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_session(home_page):
    course = helpers.course(home_page, title="Paid course", prices={Audience.PUBLIC: 4500})
    return helpers.session(course, capacity=1)


def book_and_checkout(client, session):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("courses:book", args=[session.pk]), {"audience": "public"})
    booking = Booking.objects.get(booked_by=user)
    return response, booking, Payment.objects.get(reference=booking.reference)


def complete(client, standin, payment):
    session = standin.pay(payment.stripe_checkout_session_id)
    post_event(client, standin.public(standin.event("checkout.session.completed", session)))


def test_a_priced_booking_holds_the_place_and_is_confirmed_when_paid(
    client, stripe_standin, paid_session, django_capture_on_commit_callbacks
):
    response, booking, payment = book_and_checkout(client, paid_session)
    assert response.url == payment.checkout_url
    assert booking.status == HoldingStatus.HELD
    assert payment.amount_pence == 4500 and payment.hold_expires_at == booking.expires_at
    with django_capture_on_commit_callbacks(execute=True):
        complete(client, stripe_standin, payment)
    booking.refresh_from_db()
    assert booking.status == HoldingStatus.CONFIRMED


def test_paid_after_the_hold_lapsed_and_the_place_went_is_refunded(
    client, stripe_standin, paid_session, django_capture_on_commit_callbacks
):
    _, booking, payment = book_and_checkout(client, paid_session)
    # Stripe will not expire a paid session, so the lapsed hold is recorded directly.
    with django_capture_on_commit_callbacks(execute=False):
        places.expire_lapsed(now=timezone.now() + timedelta(minutes=16))
    other = UserFactory()
    services.book(
        session=paid_session,
        user=other,
        audience="public",
        attendees=[services.AttendeeDetails("O", other.email)],
    )
    with django_capture_on_commit_callbacks(execute=True):
        complete(client, stripe_standin, payment)
    payment.refresh_from_db()
    booking.refresh_from_db()
    assert booking.status == HoldingStatus.EXPIRED
    assert payment.status == Payment.Status.REFUNDED
    assert paid_session.places_taken() == 1


def test_paid_after_the_hold_lapsed_with_the_place_still_free_is_confirmed(
    client, stripe_standin, paid_session, django_capture_on_commit_callbacks
):
    _, booking, payment = book_and_checkout(client, paid_session)
    with django_capture_on_commit_callbacks(execute=False):
        places.expire_lapsed(now=timezone.now() + timedelta(minutes=16))
    with django_capture_on_commit_callbacks(execute=True):
        complete(client, stripe_standin, payment)
    booking.refresh_from_db()
    assert booking.status == HoldingStatus.CONFIRMED
    assert booking.attendees.get().status == Attendee.Status.ACTIVE


def test_an_expired_checkout_releases_the_place(
    client, stripe_standin, paid_session, django_capture_on_commit_callbacks
):
    _, booking, payment = book_and_checkout(client, paid_session)
    with (
        time_machine.travel(timezone.now() + timedelta(minutes=16)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tasks.sweep()
    booking.refresh_from_db()
    assert booking.status == HoldingStatus.CANCELLED
    assert paid_session.places_taken() == 0
    assert not booking.attendees.filter(status=Attendee.Status.ACTIVE).exists()


def test_cancelling_a_paid_booking_refunds_it(
    client, stripe_standin, paid_session, django_capture_on_commit_callbacks
):
    _, booking, payment = book_and_checkout(client, paid_session)
    with django_capture_on_commit_callbacks(execute=True):
        complete(client, stripe_standin, payment)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_booking(booking, by=booking.booked_by)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REFUNDED and payment.refunded_pence == 4500


def test_refunds_are_never_lost_when_stripe_is_down_as_staff_cancel_a_session(
    client, settings, stripe_standin, home_page, django_capture_on_commit_callbacks
):
    course = helpers.course(home_page, title="Two paid", prices={Audience.PUBLIC: 4500})
    session = helpers.session(course, capacity=2)
    payments = []
    for _ in range(2):
        _, _, payment = book_and_checkout(client, session)
        with django_capture_on_commit_callbacks(execute=True):
            complete(client, stripe_standin, payment)
        payments.append(payment)
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there: Stripe is down
    with django_capture_on_commit_callbacks(execute=True):
        session.status = session.Status.CANCELLED
        services.edit_session(session)  # no exception reaches the member of staff
    refunds = Refund.objects.filter(payment__in=payments)
    assert sorted(r.payment_id for r in refunds) == sorted(p.pk for p in payments)
    assert all(r.status == Refund.Status.PENDING and not r.stripe_refund_id for r in refunds)
    settings.STRIPE_API_BASE = stripe_standin.url
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        tasks.sweep()
    assert all(r.status == Refund.Status.SUCCEEDED for r in refunds.all())
    for payment in payments:
        payment.refresh_from_db()
        assert payment.status == Payment.Status.REFUNDED


def test_a_person_cancelling_while_stripe_is_down_is_not_shown_an_error(
    client, settings, stripe_standin, paid_session, django_capture_on_commit_callbacks
):
    _, booking, payment = book_and_checkout(client, paid_session)
    with django_capture_on_commit_callbacks(execute=True):
        complete(client, stripe_standin, payment)
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("courses:cancel", args=[booking.reference]))
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == HoldingStatus.CANCELLED
    assert Refund.objects.get(payment=payment).status == Refund.Status.PENDING
