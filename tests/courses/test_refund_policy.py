"""The cancellation refund policy set in the admin (Settings), applied when a person cancels
a paid place; staff cancelling a session refund in full regardless."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from courses import payments as course_payments
from courses import services
from courses.models import Audience, CancellationPolicy, PaymentMethod, Session
from portal.payments import services as payment_services
from portal.payments.models import Payment
from tests.courses import helpers
from tests.courses.test_payments import book_and_checkout, complete
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_session(home_page):
    course = helpers.course(home_page, title="Paid course", prices={Audience.PUBLIC: 4500})
    return helpers.session(course, capacity=5, days=20)


def set_policy(days=7, percent=0):
    policy = CancellationPolicy.current()
    policy.full_refund_days, policy.late_refund_percent = days, percent
    policy.save()


def paid_booking(client, standin, session, capture):
    _, booking, payment = book_and_checkout(client, session)
    with capture(execute=True):
        complete(client, standin, payment)
    return booking, payment


def cancel_at(when, booking, capture):
    with time_machine.travel(when, tick=False), capture(execute=True):
        services.cancel_booking(booking, by=booking.booked_by)


def test_the_default_policy_is_seven_days_full_then_nothing():
    policy = CancellationPolicy.current()
    assert (policy.full_refund_days, policy.late_refund_percent) == (7, 0)


def test_cancelling_just_inside_the_full_refund_window_refunds_in_full(
    client, stripe_standin, paid_session, django_capture_on_commit_callbacks
):
    booking, payment = paid_booking(
        client, stripe_standin, paid_session, django_capture_on_commit_callbacks
    )
    boundary = paid_session.starts_at - timedelta(days=7)
    cancel_at(boundary - timedelta(minutes=1), booking, django_capture_on_commit_callbacks)
    payment.refresh_from_db()
    assert payment.refunded_pence == 4500 and payment.status == Payment.Status.REFUNDED


def test_cancelling_just_after_the_window_refunds_nothing_by_default(
    client, stripe_standin, paid_session, django_capture_on_commit_callbacks
):
    booking, payment = paid_booking(
        client, stripe_standin, paid_session, django_capture_on_commit_callbacks
    )
    boundary = paid_session.starts_at - timedelta(days=7)
    cancel_at(boundary + timedelta(minutes=1), booking, django_capture_on_commit_callbacks)
    payment.refresh_from_db()
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert payment.refunded_pence == 0 and payment.status == Payment.Status.PAID
    assert not [r for r in stripe_standin.writes() if r.path == "/v1/refunds"]


def test_the_admin_sets_the_window_and_the_late_share(
    client, stripe_standin, paid_session, django_capture_on_commit_callbacks
):
    set_policy(days=14, percent=50)
    booking, payment = paid_booking(
        client, stripe_standin, paid_session, django_capture_on_commit_callbacks
    )
    # 10 days before: inside the default 7 days' window, outside the 14 set here.
    cancel_at(
        paid_session.starts_at - timedelta(days=10), booking, django_capture_on_commit_callbacks
    )
    payment.refresh_from_db()
    assert payment.refunded_pence == 2250


def test_one_attendee_of_a_group_cancelled_late_gets_the_late_share(
    stripe_standin, paid_session, django_capture_on_commit_callbacks
):
    set_policy(days=7, percent=25)
    paid_session.course.audiences.model.objects.create(
        course=paid_session.course, audience=Audience.BUSINESS, price_pence=4000
    )
    member = MembershipFactory(organisation__sector="business").user
    booking = services.book(
        session=paid_session,
        user=member,
        audience=Audience.BUSINESS,
        organisation=member.organisations.get(),
        attendees=[services.AttendeeDetails(f"P{n}", f"p{n}@example.com") for n in range(2)],
    )
    payment = course_payments.start_checkout(booking)
    stripe_standin.pay(payment.stripe_checkout_session_id)
    with django_capture_on_commit_callbacks(execute=True):
        payment_services.process_event(
            stripe_standin.public(
                stripe_standin.event(
                    "checkout.session.completed",
                    stripe_standin.sessions[payment.stripe_checkout_session_id],
                )
            )
        )
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    late = paid_session.starts_at - timedelta(days=2)
    with time_machine.travel(late, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.cancel_attendee(booking.attendees.first(), by=member)
    payment.refresh_from_db()
    assert payment.refunded_pence == 1000  # 25% of one £40 place
    # Then the whole booking, early enough on a different day: the rest in full.
    early = paid_session.starts_at - timedelta(days=8)
    with time_machine.travel(early, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.cancel_booking(booking, by=member)
    payment.refresh_from_db()
    assert payment.refunded_pence == 1000 + 4000  # the late-cancelled place is not refunded again


def test_staff_cancelling_the_session_refund_in_full_even_late(
    client, stripe_standin, paid_session, django_capture_on_commit_callbacks
):
    booking, payment = paid_booking(
        client, stripe_standin, paid_session, django_capture_on_commit_callbacks
    )
    with (
        time_machine.travel(paid_session.starts_at - timedelta(days=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        paid_session.status = Session.Status.CANCELLED
        services.edit_session(paid_session)
    payment.refresh_from_db()
    assert payment.refunded_pence == 4500


def test_an_invoiced_booking_cancelled_late_still_owes(paid_session):
    paid_session.course.audiences.model.objects.create(
        course=paid_session.course, audience=Audience.BUSINESS, price_pence=4000
    )
    member = MembershipFactory(organisation__sector="business", organisation__invoiced=True).user
    booking = services.book(
        session=paid_session,
        user=member,
        audience=Audience.BUSINESS,
        organisation=member.organisations.get(),
        attendees=[services.AttendeeDetails("P", "p@example.com")],
        pay_by=PaymentMethod.INVOICE,
        purchase_order="PO-9",
    )
    with time_machine.travel(paid_session.starts_at - timedelta(days=2), tick=False):
        services.cancel_booking(booking, by=member)
    booking.refresh_from_db()
    assert booking.invoice_owed_pence == 4000


def test_the_cancel_page_shows_the_policy_and_what_would_be_refunded(
    client, stripe_standin, paid_session, django_capture_on_commit_callbacks
):
    set_policy(days=7, percent=50)
    booking, _ = paid_booking(
        client, stripe_standin, paid_session, django_capture_on_commit_callbacks
    )
    url = reverse("courses:cancel", args=[booking.reference])
    page = client.get(url).text
    assert "Cancel up to 7 days before the session for a full refund" in page
    assert "a 50% refund" in page and "refunded £45.00" in page
    set_policy(days=25, percent=50)  # the session is 20 days away: now late
    assert "refunded £22.50" in client.get(url).text
    detail = client.get(reverse("courses:booking", args=[booking.reference])).text
    assert "Cancel up to 25 days before the session" in detail


def test_the_cancel_page_says_when_the_full_refund_window_has_passed(
    client, stripe_standin, paid_session, django_capture_on_commit_callbacks
):
    set_policy(days=7, percent=50)
    booking, _ = paid_booking(
        client, stripe_standin, paid_session, django_capture_on_commit_callbacks
    )
    # A morning start, so the time reads "a.m." (once sentence-final, it read "a.m..").
    starts = timezone.localtime(paid_session.starts_at).replace(hour=9, minute=30)
    Session.objects.filter(pk=paid_session.pk).update(
        starts_at=starts, ends_at=starts + timedelta(hours=3)
    )
    url = reverse("courses:cancel", args=[booking.reference])
    page = client.get(url).text
    assert "you can cancel for a full refund until 9:30 a.m. on " in page
    assert "ended at" not in page
    set_policy(days=25, percent=50)  # the session is 20 days away: the window has passed
    page = client.get(url).text
    assert "the time to cancel for a full refund ended at" in page
    assert "full refund until" not in page and "refund is available until" not in page
    # No doubled full stop after "a.m." or "p.m." at the end of a sentence.
    assert ".." not in page.replace("...", "")
