"""Every CSV export neutralises cells a spreadsheet would run as a formula (portal.exports):
ours (attendees.csv) and Wagtail's (reports, invoices owed, model listings)."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import Page

from courses.models import Attendee, Booking, PaymentMethod
from portal import exports
from tests.attendance import factories
from tests.factories import OrganisationFactory, UserFactory
from tests.staff import sign_in_to_staff_area

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://x.example","y")', "+1+1", "-2+3", "@SUM(1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("value", FORMULAS)
def test_a_cell_a_spreadsheet_would_run_is_made_text(value):
    assert exports.neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Ada", "", "ada@example.com", "PO 1=2", 5, -5, None])
def test_other_cells_are_left_as_they_are(value):
    assert exports.neutralise(value) == value


def _rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode())))


@pytest.fixture
def coordinator_client(client):
    sign_in_to_staff_area(client, UserFactory(roles=["Coordinator"]))
    return client


@pytest.fixture
def booked_session(db):
    """A session whose every text cell starts like a formula (name, email, organisation,
    needs, purchase order, course title)."""
    root = Page.get_first_root_node().add_child(instance=Page(title="Home", slug="home-csv"))
    course = factories.course(root, title="=SUM(1) course")
    session = factories.session(course)
    booking = factories.booking(
        session,
        UserFactory(),
        people=[("=cmd|' /C calc'!A0", "-a@example.com", None)],
        organisation=OrganisationFactory(name="@Northgate"),
    )
    Attendee.objects.filter(booking=booking).update(needs="+wheelchair")
    Booking.objects.filter(pk=booking.pk).update(
        payment_method=PaymentMethod.INVOICE,
        purchase_order="=HYPERLINK(1)",
        invoice_owed_pence=4500,
        unit_price_pence=4500,
    )
    return session


def test_attendees_csv_neutralises_every_column(coordinator_client, booked_session):
    response = coordinator_client.get(reverse("courses_attendee_export", args=[booked_session.pk]))
    [_, row] = _rows(response)
    name, email, organisation, _, needs = row
    assert name == "'=cmd|' /C calc'!A0"
    assert email == "'-a@example.com"
    assert organisation == "'@Northgate"
    assert needs == "'+wheelchair"


def test_the_invoices_owed_csv_neutralises_the_purchase_order(coordinator_client, booked_session):
    rows = _rows(coordinator_client.get(reverse("courses_invoices_owed"), {"export": "csv"}))
    assert "'=HYPERLINK(1)" in rows[1] and "'@Northgate" in rows[1]
    assert all(not cell.startswith(exports.FORMULA_STARTS) for row in rows for cell in row)
    # XLSX keeps the value but stores it as text, never as a formula.
    response = coordinator_client.get(reverse("courses_invoices_owed"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert "=HYPERLINK(1)" in [cell.value for cell in cells]
    assert all(cell.data_type != "f" for cell in cells)


def test_a_service_report_csv_neutralises_course_titles(coordinator_client, booked_session):
    url = reverse("service_report", args=["attendance-by-session"])
    rows = _rows(coordinator_client.get(url, {"export": "csv"}))
    assert any(cell == "'=SUM(1) course" for row in rows for cell in row)


def test_wagtail_model_listing_csv_is_neutralised(coordinator_client):
    OrganisationFactory(name="=2+5")
    rows = _rows(coordinator_client.get(reverse("organisations:index"), {"export": "csv"}))
    assert [row[0] for row in rows[1:]] == ["'=2+5"]
