import pytest
from django.urls import reverse

from portal.localities import StaffAssignment
from portal.payments.models import Payment
from tests.factories import UserFactory
from tests.payments.conftest import PURPOSE
from tests.staff import sign_in_to_staff_area

pytestmark = pytest.mark.django_db


def staff(client, role):
    user = UserFactory(roles=[role])
    sign_in_to_staff_area(client, user)
    return user


def make_payments(count):
    from django.utils import timezone

    return Payment.objects.bulk_create(
        Payment(
            purpose=PURPOSE,
            reference=f"BK-{n}",
            description="Coercive control awareness",
            amount_pence=4500,
            customer_email="payer@example.com",
            hold_expires_at=timezone.now(),
            status=Payment.Status.PAID if n % 2 else Payment.Status.EXPIRED,
        )
        for n in range(count)
    )


def test_coordinators_see_payments_and_refunds_read_only(client, django_assert_max_num_queries):
    coordinator = staff(client, "Coordinator")
    # Payments are theirs through what was paid for (courses: their sessions' bookings) or,
    # as here, by assignment (portal.scope).
    *theirs, not_theirs = make_payments(31)
    StaffAssignment.objects.bulk_create(
        StaffAssignment(user=coordinator, target=payment) for payment in theirs
    )
    with django_assert_max_num_queries(30):
        response = client.get("/admin/payments/payment/?status=paid")
    assert response.status_code == 200
    assert response.content.count(b"BK-") >= 15
    assert b"BK-0<" not in response.content  # expired ones are filtered out
    assert b"BK-30<" not in response.content  # paid, but not theirs
    inspect_not_theirs = reverse("payments_payment:inspect", args=[not_theirs.pk])
    assert client.get(inspect_not_theirs).status_code == 404
    assert client.get("/admin/payments/refund/").status_code == 200
    payment = theirs[0]
    assert client.get(f"/admin/payments/payment/inspect/{payment.pk}/").status_code == 200
    assert client.get(reverse("payments_payment:add")).status_code == 302
    assert client.get(reverse("payments_payment:edit", args=[payment.pk])).status_code == 302
    assert client.post(reverse("payments_payment:delete", args=[payment.pk])).status_code == 302
    assert Payment.objects.count() == 31


def test_the_listing_query_count_does_not_grow_with_payments(client, django_assert_num_queries):
    staff(client, "Coordinator")
    make_payments(5)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/admin/payments/payment/")
    make_payments(40)
    with CaptureQueriesContext(connection) as many:
        client.get("/admin/payments/payment/")
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize("role", ["Trainer", "Commissioner"])
def test_other_staff_cannot_see_payments(client, role):
    """Commissioners see the figures (income in the reports), not who paid."""
    staff(client, role)
    assert client.get("/admin/payments/payment/").status_code == 302
    assert client.get("/admin/payments/refund/").status_code == 302


def test_checkout_is_an_allowed_form_destination(client, settings):
    settings.STRIPE_API_BASE = ""
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "form-action 'self' https://checkout.stripe.com" in csp
    settings.STRIPE_API_BASE = "http://127.0.0.1:8765"
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "form-action 'self' http://127.0.0.1:8765" in csp
