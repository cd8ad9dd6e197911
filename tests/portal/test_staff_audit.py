"""Every staff view and export of personal data writes an audit row (portal.audit)."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from courses.models import Booking, PaymentMethod
from portal.localities import StaffAssignment
from portal.models import AuditEvent
from portal.payments.models import Payment
from portal.reports.models import ServiceReports
from tests.attendance import factories
from tests.factories import OrganisationFactory, UserFactory
from tests.staff import sign_in_to_staff_area

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client):
    user = UserFactory(roles=["Coordinator"])
    sign_in_to_staff_area(client, user)
    return user


def _events(obj=None, model=None, **filters):
    target = obj if obj is not None else model
    events = AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        **filters,
    )
    return events.filter(target_id=str(obj.pk)) if obj is not None else events


def test_opening_a_register_is_audited(client, coordinator):
    root = Page.get_first_root_node().add_child(instance=Page(title="Home", slug="home-aud"))
    session = factories.session(factories.course(root))
    factories.booking(session, UserFactory())
    response = client.get(reverse("attendance_register", args=["courses.session", session.pk]))
    assert response.status_code == 200
    assert _events(session, action="view", actor=coordinator).count() == 1


def test_inspecting_a_payment_is_audited(client, coordinator):
    payment = Payment.objects.create(
        purpose="courses.booking",
        reference="TR-ABC234",
        description="DA awareness",
        amount_pence=4500,
        customer_email="payer@example.com",
        hold_expires_at=timezone.now() + timedelta(minutes=15),
    )
    StaffAssignment.objects.create(user=coordinator, target=payment)
    response = client.get(reverse("payments_payment:inspect", args=[payment.pk]))
    assert response.status_code == 200
    assert _events(payment, action="view", actor=coordinator).count() == 1


def test_inspecting_and_editing_an_organisation_are_audited(client, coordinator):
    organisation = OrganisationFactory()
    assert client.get(reverse("organisations:inspect", args=[organisation.pk])).status_code == 200
    assert client.get(reverse("organisations:edit", args=[organisation.pk])).status_code == 200
    assert _events(organisation, action="view", actor=coordinator).count() == 2


def test_the_user_listing_and_a_users_edit_form_are_audited(client):
    admin = UserFactory(is_superuser=True)
    sign_in_to_staff_area(client, admin)
    person = UserFactory()
    listing = client.get(reverse("wagtailusers_users:index"))
    assert listing.status_code == 200 and person.email in listing.text
    assert client.get(reverse("wagtailusers_users:edit", args=[person.pk])).status_code == 200
    [event] = _events(person, action="view", actor=admin)
    assert event.target_label == f"User #{person.pk}" and person.email not in str(event.detail)
    [listed] = _events(model=type(person), action="view", actor=admin, target_id="")
    assert listed.target_label == "Users (list)"


def test_the_invoices_owed_view_and_export_are_audited(client, coordinator):
    root = Page.get_first_root_node().add_child(instance=Page(title="Home", slug="home-inv"))
    booking = factories.booking(
        factories.session(factories.course(root)), UserFactory(), organisation=OrganisationFactory()
    )
    Booking.objects.filter(pk=booking.pk).update(
        payment_method=PaymentMethod.INVOICE, invoice_owed_pence=4500
    )
    assert client.get(reverse("courses_invoices_owed")).status_code == 200
    export = client.get(reverse("courses_invoices_owed"), {"export": "csv"})
    b"".join(export.streaming_content)
    assert _events(model=Booking, action="view", actor=coordinator).count() == 1
    [exported] = _events(model=Booking, action="export", actor=coordinator)
    assert exported.detail["format"] == "csv" and exported.target_label == "Bookings (list)"


def test_service_report_views_and_exports_are_audited(client, coordinator):
    url = reverse("service_report", args=["training-by-sector"])
    assert client.get(url).status_code == 200
    assert client.get(url, {"export": "xlsx"}).status_code == 200
    events = _events(model=ServiceReports, actor=coordinator)
    assert sorted(events.values_list("action", flat=True)) == ["export", "view"]
    assert {e.detail["report"] for e in events} == {"training-by-sector"}


def test_refused_views_write_no_audit_row(client):
    sign_in_to_staff_area(client, UserFactory(roles=["Trainer"]))
    organisation = OrganisationFactory()
    client.get(reverse("organisations:inspect", args=[organisation.pk]))
    client.get(reverse("courses_invoices_owed"), {"export": "csv"})
    assert not AuditEvent.objects.filter(action__in=["view", "export"]).exists()
