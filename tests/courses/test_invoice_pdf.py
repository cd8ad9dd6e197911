"""The invoice PDF of an invoiced booking: for its booker, and for the staff who handle
invoices (audited); and the confirmation email's purchase order and amount."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from courses import invoices, services
from portal.audit import AuditEvent
from portal.models import OutboxMessage
from tests.courses.test_admin import staff
from tests.courses.test_invoices import invoiced_booking
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    body = response.content
    assert body.startswith(b"%PDF-")
    # Uncompressed, in the built-in fonts' Latin-1: the words are in the file as written.
    return body.decode("latin-1")


def test_the_booker_downloads_the_invoice_from_the_booking_page(
    client, settings, invoiced_member, priced_session
):
    settings.SERVICE_NAME = "Riverside DA Service"
    settings.SERVICE_ADDRESS = "Civic Centre, 1 Market Street, RV1 1AA"
    booking = invoiced_booking(invoiced_member, priced_session, people=2)
    client.force_login(invoiced_member)
    page = client.get(reverse("courses:booking", args=[booking.reference])).text
    url = reverse("courses:invoice", args=[booking.reference])
    assert f'href="{url}"' in page
    text = _pdf_text(client.get(url))
    organisation = invoiced_member.organisations.get().name
    for part in (
        "Riverside DA Service",
        "Civic Centre",
        "RV1 1AA",
        f"INV-{booking.reference}",
        "PO-77",
        organisation,
        "DA in the workplace",
        "\xa345.00",
        "Total due: \xa390.00",
    ):
        assert part in text, part


def test_only_the_booker_and_staff_who_handle_invoices_get_it(
    client, invoiced_member, priced_session
):
    booking = invoiced_booking(invoiced_member, priced_session)
    url = reverse("courses:invoice", args=[booking.reference])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    staff_url = reverse("courses_invoice_pdf", args=[booking.pk])
    for role in ("Commissioner", "Trainer"):
        other = Client()
        staff(other, role)
        assert other.get(staff_url).status_code in (302, 403), role
    assert not AuditEvent.objects.filter(detail__document="invoice").exists()
    coordinator = Client()
    user = staff(coordinator, "Coordinator")
    listing = coordinator.get(reverse("courses_invoices_owed")).text
    assert f'href="{staff_url}"' in listing
    assert "PO-77" in _pdf_text(coordinator.get(staff_url))
    event = AuditEvent.objects.get(detail__document="invoice")
    assert (event.actor, event.action, event.target_id) == (user, "export", str(booking.pk))


def test_no_invoice_for_a_booking_that_owes_nothing(client, invoiced_member, home_page):
    from courses.models import Audience
    from tests.courses import helpers

    free = helpers.session(helpers.course(home_page, title="Free", prices={Audience.BUSINESS: 0}))
    booking = invoiced_booking(invoiced_member, free)
    client.force_login(invoiced_member)
    page = client.get(reverse("courses:booking", args=[booking.reference])).text
    assert "Download the invoice" not in page
    assert client.get(reverse("courses:invoice", args=[booking.reference])).status_code == 404


def test_the_lines_add_up_after_a_late_cancellation_and_after_payment(
    invoiced_member, priced_session
):
    from courses.models import CancellationPolicy

    policy = CancellationPolicy.current()
    policy.full_refund_days, policy.late_refund_percent = 7, 50
    policy.save()
    booking = invoiced_booking(invoiced_member, priced_session, people=3)
    with time_machine.travel(priced_session.starts_at - timedelta(days=1)):
        services.cancel_attendee(booking.attendees.first(), by=invoiced_member)
    booking.refresh_from_db()
    lines = invoices.lines(booking)
    assert [line.amount_pence for line in lines] == [9000, 2250]
    assert sum(line.amount_pence for line in lines) == booking.invoice_owed_pence == 11250
    assert "since cancelled" in lines[1].description
    services.mark_invoice_paid(booking, by=UserFactory(roles=["Coordinator"]))
    services.cancel_booking(booking, by=invoiced_member)
    booking.refresh_from_db()
    lines = invoices.lines(booking)
    assert sum(line.amount_pence for line in lines) == booking.invoice_owed_pence
    text = invoices.render(booking).decode("latin-1")
    assert "Paid on" in text and "Credit due to you" in text


def test_the_confirmation_email_states_the_purchase_order_and_amount(
    invoiced_member, priced_session
):
    invoiced_booking(invoiced_member, priced_session, people=2)
    (message,) = OutboxMessage.objects.filter(kind="courses.booking_made")
    assert "purchase order PO-77, \xa390.00 for 2 places" in message.body
    assert "An invoice will follow" in message.body
