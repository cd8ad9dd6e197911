"""Invoiced organisations book priced places with a purchase-order number; staff see what is
owed and mark it paid."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from courses import reports, selectors, services
from courses.models import Audience, Booking, PaymentMethod
from portal.accounts.models import Sector
from portal.payments.models import Payment
from portal.places import HoldingStatus
from tests.courses import helpers
from tests.courses.test_admin import staff
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def form_data(organisation, *, payment="invoice", po="PO-1234", people=2):
    data = {
        "audience": "business",
        "organisation": organisation.pk,
        "payment": payment,
        "purchase_order": po,
        "form-TOTAL_FORMS": people,
        "form-INITIAL_FORMS": 0,
    }
    for n in range(people):
        data[f"form-{n}-name"] = f"Person {n}"
        data[f"form-{n}-email"] = f"p{n}@business.example"
    return data


def book_url(session, organisation=None):
    url = reverse("courses:book", args=[session.pk])
    return f"{url}?for={organisation.pk}" if organisation else url


def test_an_invoiced_member_books_with_a_purchase_order_and_no_card(
    client, stripe_standin, invoiced_member, priced_session
):
    organisation = invoiced_member.organisations.get()
    client.force_login(invoiced_member)
    page = client.get(book_url(priced_session, organisation))
    assert "Purchase-order number" in page.text
    response = client.post(book_url(priced_session, organisation), form_data(organisation))
    booking = Booking.objects.get()
    assert response.url == reverse("courses:booking", args=[booking.reference])
    assert booking.status == HoldingStatus.CONFIRMED
    assert booking.payment_method == PaymentMethod.INVOICE
    assert booking.purchase_order == "PO-1234"
    assert booking.invoice_owed_pence == 9000
    assert not Payment.objects.exists() and not stripe_standin.requests
    page = client.get(response.url).text
    assert "purchase order <strong>PO-1234</strong>, £90.00" in page
    (row,) = reports.income_by_course_and_month()
    assert row["pence"] == 9000  # "card or invoice": invoiced places count as income


def test_the_invoice_choice_is_not_shown_to_others(client, priced_session):
    member = MembershipFactory(organisation__sector=Sector.BUSINESS).user
    client.force_login(member)
    page = client.get(book_url(priced_session, member.organisations.get()))
    assert page.status_code == 200 and "Purchase-order number" not in page.text


def test_a_tampered_invoice_choice_is_a_clear_form_error(client, priced_session):
    member = MembershipFactory(organisation__sector=Sector.BUSINESS).user
    organisation = member.organisations.get()
    client.force_login(member)
    response = client.post(book_url(priced_session, organisation), form_data(organisation))
    assert response.status_code == 400
    assert "Paying by invoice is only for members of an organisation we invoice" in response.text
    assert not Booking.objects.exists()


def test_the_service_refuses_an_invoice_for_an_organisation_not_invoiced(priced_session):
    member = MembershipFactory(organisation__sector=Sector.BUSINESS).user
    with pytest.raises(services.BookingError, match="only for organisations we invoice") as exc:
        services.book(
            session=priced_session,
            user=member,
            audience=Audience.BUSINESS,
            organisation=member.organisations.get(),
            attendees=[services.AttendeeDetails("A", member.email)],
            pay_by=PaymentMethod.INVOICE,
            purchase_order="PO-1",
        )
    assert exc.value.field == "payment"


def test_a_purchase_order_number_is_required(client, invoiced_member, priced_session):
    organisation = invoiced_member.organisations.get()
    client.force_login(invoiced_member)
    response = client.post(book_url(priced_session, organisation), form_data(organisation, po=" "))
    assert response.status_code == 400 and "Enter your purchase-order number" in response.text
    assert not Booking.objects.exists()


def invoiced_booking(member, session, people=2):
    return services.book(
        session=session,
        user=member,
        audience=Audience.BUSINESS,
        organisation=member.organisations.get(),
        attendees=[
            services.AttendeeDetails(f"P{n}", f"p{n}@business.example") for n in range(people)
        ],
        pay_by=PaymentMethod.INVOICE,
        purchase_order="PO-77",
    )


def test_cancelling_reduces_what_is_owed_without_a_stripe_refund(
    stripe_standin, invoiced_member, priced_session
):
    booking = invoiced_booking(invoiced_member, priced_session, people=2)
    services.cancel_attendee(booking.attendees.first(), by=invoiced_member)
    booking.refresh_from_db()
    assert booking.invoice_owed_pence == 4500
    services.cancel_booking(booking, by=invoiced_member)
    booking.refresh_from_db()
    assert booking.invoice_owed_pence == 0
    assert not stripe_standin.requests


def test_an_invoiced_waiting_entry_owes_only_once_its_places_are_confirmed(
    invoiced_member, home_page
):
    course = helpers.course(home_page, title="Small", prices={Audience.BUSINESS: 4500})
    session = helpers.session(course, capacity=1)
    first = invoiced_booking(invoiced_member, session, people=1)
    waiting = services.book(
        session=session,
        user=invoiced_member,
        audience=Audience.BUSINESS,
        organisation=invoiced_member.organisations.get(),
        attendees=[services.AttendeeDetails("W", "w@business.example")],
        pay_by=PaymentMethod.INVOICE,
        purchase_order="PO-78",
    )
    assert waiting.status == HoldingStatus.WAITING and waiting.invoice_owed_pence == 0
    services.cancel_booking(first, by=invoiced_member)
    waiting.refresh_from_db()
    assert waiting.status == HoldingStatus.OFFERED
    accepted = services.accept_offer(
        services.offer_url(waiting).rsplit("/", 2)[-2], invoiced_member
    )
    assert accepted.status == HoldingStatus.CONFIRMED  # no card hold for an invoice
    accepted.refresh_from_db()
    assert accepted.invoice_owed_pence == 4500


def test_staff_see_what_is_owed_and_a_coordinator_marks_it_paid(
    client, invoiced_member, priced_session
):
    booking = invoiced_booking(invoiced_member, priced_session)
    staff(client, "Coordinator")
    listing = client.get(reverse("courses_invoices_owed"))
    assert listing.status_code == 200
    for text in (booking.reference, "PO-77", "£90.00", invoiced_member.organisations.get().name):
        assert text in listing.text
    export = client.get(reverse("courses_invoices_owed") + "?export=csv")
    rows = b"".join(export.streaming_content).decode()
    assert "PO-77" in rows and "90.00" in rows and invoiced_member.email in rows
    client.post(reverse("courses_invoice_paid", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.invoice_paid_at is not None
    after = client.get(reverse("courses_invoices_owed")).text
    assert f"<td>{booking.reference}</td>" not in after and "Nothing is owed" in after


def test_a_commissioner_sees_the_figures_but_cannot_mark_paid(
    client, invoiced_member, priced_session
):
    booking = invoiced_booking(invoiced_member, priced_session)
    staff(client, "Commissioner")
    listing = client.get(reverse("courses_invoices_owed"))
    assert listing.status_code == 200 and "PO-77" in listing.text
    assert "Mark paid" not in listing.text
    # Figures and organisations, not who booked.
    export = b"".join(
        client.get(reverse("courses_invoices_owed") + "?export=csv").streaming_content
    ).decode()
    assert "PO-77" in export
    assert invoiced_member.email not in listing.text + export
    refused = client.post(reverse("courses_invoice_paid", args=[booking.pk]))
    assert refused.status_code in (302, 403) and refused.get("Location") != reverse(
        "courses_invoices_owed"
    )
    booking.refresh_from_db()
    assert booking.invoice_paid_at is None


def test_a_trainer_cannot_see_invoices(client, invoiced_member, priced_session):
    invoiced_booking(invoiced_member, priced_session)
    staff(client, "Trainer")
    response = client.get(reverse("courses_invoices_owed"))
    assert response.status_code in (302, 403) and "PO-77" not in response.text


def test_a_person_not_signed_in_cannot_mark_paid(client, invoiced_member, priced_session):
    booking = invoiced_booking(invoiced_member, priced_session)
    response = client.post(reverse("courses_invoice_paid", args=[booking.pk]))
    assert response.status_code in (302, 403)
    booking.refresh_from_db()
    assert booking.invoice_paid_at is None


def test_staff_cancelling_the_session_clear_what_is_owed(invoiced_member, priced_session):
    booking = invoiced_booking(invoiced_member, priced_session)
    priced_session.status = priced_session.Status.CANCELLED
    services.edit_session(priced_session)
    booking.refresh_from_db()
    assert booking.status == HoldingStatus.CANCELLED and booking.invoice_owed_pence == 0
    assert not selectors.unpaid_invoices().exists()


def test_places_cancelled_after_the_invoice_was_paid_become_a_credit_staff_give(
    client, stripe_standin, invoiced_member, priced_session
):
    booking = invoiced_booking(invoiced_member, priced_session, people=2)
    coordinator = staff(client, "Coordinator")
    services.mark_invoice_paid(booking, by=coordinator)
    member = Client()
    member.force_login(invoiced_member)
    cancel_page = member.get(reverse("courses:cancel", args=[booking.reference])).text
    assert "owed a credit of £90.00" in cancel_page
    services.cancel_attendee(booking.attendees.first(), by=invoiced_member)
    services.cancel_booking(booking, by=invoiced_member)
    booking.refresh_from_db()
    # What was paid stays what was paid; all of it is now owed back, once, not by card.
    assert booking.invoice_owed_pence == 9000 and booking.invoice_credit_pence == 9000
    assert not stripe_standin.requests
    listing = client.get(reverse("courses_invoices_owed")).text
    assert "Total credit due: <strong>£90.00</strong>" in listing and "Mark credited" in listing
    client.post(reverse("courses_invoice_credited", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.invoice_credited_at is not None
    assert not selectors.unpaid_invoices().exists()
    # A second "credited" changes nothing.
    again = client.post(reverse("courses_invoice_credited", args=[booking.pk]), follow=True)
    assert "has no credit due" in again.text


def test_staff_cancelling_a_paid_invoiced_session_owe_the_organisation_a_credit(
    invoiced_member, priced_session
):
    booking = invoiced_booking(invoiced_member, priced_session)
    services.mark_invoice_paid(booking, by=invoiced_member)
    priced_session.status = priced_session.Status.CANCELLED
    services.edit_session(priced_session)
    booking.refresh_from_db()
    assert booking.invoice_credit_pence == 9000
    assert list(selectors.unpaid_invoices()) == [booking]


def test_income_leaves_out_a_credit_owed_back_after_payment(invoiced_member, priced_session):
    booking = invoiced_booking(invoiced_member, priced_session)
    services.mark_invoice_paid(booking, by=invoiced_member)
    services.cancel_attendee(booking.attendees.first(), by=invoiced_member)
    [row] = reports.income_by_course_and_month()
    assert row["income"] == Decimal("45.00")
