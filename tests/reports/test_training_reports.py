import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from courses import payments as course_payments
from courses import reports
from courses import services as course_services
from courses.models import Audience, CancellationPolicy, CourseAudience, PaymentMethod
from portal.attendance import services
from portal.attendance.models import FeedbackResponse
from portal.payments.models import Payment
from portal.places import HoldingStatus
from portal.reports.registry import Percent
from tests.attendance import factories
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def card_payment(booking, status, refunded_pence=0):
    return Payment.objects.create(
        purpose=course_payments.PURPOSE,
        reference=booking.reference,
        description="Places",
        amount_pence=booking.total_pence,
        status=status,
        refunded_pence=refunded_pence,
        customer_email=booking.booked_by.email,
        hold_expires_at=timezone.now(),
    )


@pytest.fixture
def figures(course_page, site_root, trainer):
    """Two courses. Session A: a business books 3 at £45 (2 present, 1 absent) and a member of
    the public 1 free (late). Session B: a council officer (apologies) and one unmarked."""
    business = OrganisationFactory(name="Northgate Logistics", sector="business")
    council = OrganisationFactory(name="The Council", sector="council")
    other_course = factories.course(site_root, title="Coercive control", cpd_hours=Decimal(2))
    a = factories.session(course_page, trainers=[trainer], starts_in=timedelta(days=-2))
    b = factories.session(other_course, trainers=[trainer], starts_in=timedelta(days=-1))
    people = [(f"Staff {i}", f"staff{i}@northgate.example", None) for i in range(3)]
    paid = factories.booking(
        a,
        UserFactory(),
        people=people,
        organisation=business,
        audience=Audience.BUSINESS,
        unit_price_pence=4500,
    )
    public = factories.booking(a, UserFactory(email="pat@example.com"))
    officer = factories.booking(
        b, UserFactory(), organisation=council, audience=Audience.COUNCIL_STAFF
    )
    factories.booking(b, UserFactory())
    card_payment(paid, Payment.Status.PAID)
    # Not income: a paid booking cancelled and refunded in full, one still held while paying.
    refunded = factories.booking(
        a, UserFactory(), unit_price_pence=4500, status=HoldingStatus.CANCELLED
    )
    card_payment(refunded, Payment.Status.REFUNDED, refunded_pence=4500)
    held = factories.booking(a, UserFactory(), unit_price_pence=4500, status=HoldingStatus.HELD)
    card_payment(held, Payment.Status.OPEN)
    staff = list(paid.attendees.order_by("pk"))
    services.take_register(
        a,
        {
            staff[0].pk: "present",
            staff[1].pk: "present",
            staff[2].pk: "absent",
            public.attendees.get().pk: "late",
        },
        by=trainer,
    )
    services.mark(b, officer.attendees.get(), "apologies", by=trainer)
    for attendee, rating in [(staff[0], 5), (staff[1], 4), (public.attendees.get(), 2)]:
        mark = services.marks_of(a).get(person_id=attendee.pk)
        services.submit_feedback(services.feedback_token(mark), rating=rating)
    return {"a": a, "b": b}


def test_one_person_trained_twice_counts_once_though_their_email_is_encrypted(figures, trainer):
    pat = UserFactory._meta.model.objects.get(email="pat@example.com")
    again = factories.booking(figures["b"], pat, people=[("Pat", "Pat@Example.com", pat)])
    services.mark(figures["b"], again.attendees.get(), "present", by=trainer)
    public = [r for r in reports.trained_by_audience() if r["audience"] == "Member of the public"]
    assert public == [{"audience": "Member of the public", "places": 2, "people": 1}]


def test_people_trained_by_sector_audience_and_month(figures):
    assert reports.trained_by_sector() == [
        {"sector": "Business", "places": 2, "people": 2},
        {"sector": "Individual (no organisation)", "places": 1, "people": 1},
    ]
    assert reports.trained_by_audience() == [
        {"audience": "Business", "places": 2, "people": 2},
        {"audience": "Member of the public", "places": 1, "people": 1},
    ]
    (month,) = [
        {k: v for k, v in row.items() if k != "month_start"} for row in reports.trained_by_month()
    ] or [None]
    assert month["places"] == 3
    # Reports filter by the date in Europe/London: a UTC date is a day out late on summer nights.
    tomorrow = timezone.localdate(figures["a"].starts_at) + timedelta(days=1)
    assert reports.trained_by_sector(date_from=tomorrow) == []


def test_attendance_and_no_show_rates(figures):
    by_session = {row["pk"]: row for row in reports.attendance_by_session()}
    a, b = by_session[figures["a"].pk], by_session[figures["b"].pk]
    assert (a["booked"], a["marked"], a["present"], a["late"], a["absent"]) == (4, 4, 2, 1, 1)
    assert (a["attendance_rate"], a["no_show_rate"]) == (Percent(Decimal("0.75")), Percent.of(1, 4))
    assert (str(a["attendance_rate"]), str(a["no_show_rate"])) == ("75%", "25%")
    assert (b["booked"], b["marked"], b["apologies"]) == (2, 1, 1)
    assert (str(b["attendance_rate"]), str(b["no_show_rate"])) == ("0%", "0%")
    by_course = {row["course"]: row for row in reports.attendance_by_course()}
    assert str(by_course["DA awareness level 1"]["attendance_rate"]) == "75%"
    assert by_course["Coercive control"]["marked"] == 1


def test_income_counts_what_card_payments_took(figures):
    (row,) = reports.income_by_course_and_month()
    assert (row["course"], row["places"], row["income"]) == (
        "DA awareness level 1",
        3,
        Decimal("135.00"),
    )


def test_income_keeps_what_a_late_cancellation_kept(course_page, django_assert_num_queries):
    """3 places invoiced at £45; the policy keeps 67% after the full-refund window; one place
    cancelled late: £90 for the two left plus £30.15 kept of the third."""
    CourseAudience.objects.create(course=course_page, audience=Audience.BUSINESS, price_pence=4500)
    session = factories.session(course_page, starts_in=timedelta(days=20))
    policy = CancellationPolicy.current()
    policy.full_refund_days, policy.late_refund_percent = 7, 33
    policy.save()
    member = MembershipFactory(organisation__sector="business", organisation__invoiced=True).user
    booking = course_services.book(
        session=session,
        user=member,
        audience=Audience.BUSINESS,
        organisation=member.organisations.get(),
        attendees=[
            course_services.AttendeeDetails(f"P{n}", f"p{n}@business.example") for n in range(3)
        ],
        pay_by=PaymentMethod.INVOICE,
        purchase_order="PO-1",
    )
    with time_machine.travel(session.starts_at - timedelta(days=2), tick=False):
        course_services.cancel_attendee(booking.attendees.first(), by=member)
    (row,) = reports.income_by_course_and_month()
    assert (row["places"], row["income"]) == (2, Decimal("120.15"))
    # A card booking, partly refunded, on the same course and month: £45 less £15.
    card = factories.booking(session, UserFactory(), unit_price_pence=4500)
    card_payment(card, Payment.Status.PARTIALLY_REFUNDED, refunded_pence=1500)
    with django_assert_num_queries(1):
        (row,) = reports.income_by_course_and_month()
    assert (row["places"], row["income"]) == (3, Decimal("150.15"))


def test_feedback_scores_per_course(figures):
    (row,) = reports.feedback_by_course()
    assert row["course"] == "DA awareness level 1"
    assert (row["responses"], row["average"], row["good_share"]) == (
        3,
        Decimal("3.7"),
        Percent.of(2, 3),
    )
    assert str(row["good_share"]) == "67%"
    assert FeedbackResponse.objects.count() == 3


REPORTS = [
    "training-by-sector",
    "training-by-audience",
    "training-by-month",
    "attendance-by-session",
    "attendance-by-course",
    "training-income",
    "training-feedback",
]


@pytest.mark.parametrize("role", ["Commissioner", "Coordinator"])
def test_commissioners_and_coordinators_see_every_report(staff_client, figures, role):
    client = staff_client(UserFactory(roles=[role]))
    index = client.get(reverse("service_reports"))
    assert index.status_code == 200
    for slug in REPORTS:
        response = client.get(reverse("service_report", args=[slug]))
        assert response.status_code == 200, slug


@pytest.mark.parametrize("role", ["Trainer", "Editor"])
def test_other_staff_do_not_see_the_reports(staff_client, figures, role):
    client = staff_client(UserFactory(roles=[role]))
    assert client.get(reverse("service_reports")).status_code != 200
    assert client.get(reverse("service_report", args=[REPORTS[0]])).status_code != 200
    assert not client.get(reverse("service_report", args=[REPORTS[0]])).content.count(b"Business")


def test_reports_export_as_xlsx_and_csv(staff_client, figures):
    client = staff_client(UserFactory(roles=["Commissioner"]))
    url = reverse("service_report", args=["training-by-sector"])
    response = client.get(url, {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Sector", "Places attended", "Different people (by email)")
    assert rows[1] == ("Business", 2, 2)
    response = client.get(url, {"export": "csv"})
    text = b"".join(response.streaming_content).decode()
    assert list(csv.reader(io.StringIO(text)))[1] == ["Business", "2", "2"]


def test_rates_export_as_numbers_not_text(staff_client, figures):
    """75% is the number 0.75 shown as a percentage in XLSX, and 75 in CSV (its heading says
    "%"); a session with no one marked has an empty cell, not 0."""
    client = staff_client(UserFactory(roles=["Commissioner"]))
    url = reverse("service_report", args=["attendance-by-session"])
    response = client.get(url, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    heading = [cell.value for cell in sheet[1]]
    rate = heading.index("Attendance rate % (present or late)") + 1
    no_show = heading.index("No-show rate % (absent without apologies)") + 1
    first = sheet.cell(row=2, column=rate)
    assert (first.value, first.data_type, first.number_format) == (0.75, "n", "0%")
    assert sheet.cell(row=2, column=no_show).value == 0.25
    response = client.get(url, {"export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0]["Attendance rate % (present or late)"] == "75"
    assert rows[0]["No-show rate % (absent without apologies)"] == "25"
    # On screen the rate reads as a percentage.
    assert "<td>75%</td>" in client.get(url).text.replace(" ", "").replace("\n", "")


def test_xlsx_exports_give_session_times_as_london_clocks_read_them(
    staff_client, course_page, trainer
):
    summer = datetime(2026, 7, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    factories.session(course_page, trainers=[trainer], starts_in=summer - timezone.now())
    client = staff_client(UserFactory(roles=["Commissioner"]))
    url = reverse("service_report", args=["attendance-by-session"])
    response = client.get(url, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    heading = [cell.value for cell in sheet[1]]
    assert sheet.cell(row=2, column=heading.index("Starts") + 1).value == datetime(2026, 7, 1, 10)


def test_percent_of_nothing_is_an_empty_cell():
    assert Percent.of(0, 0) is None
    assert str(Percent.of(1, 8)) == "13%"  # half up, as on screen


def test_council_staff_who_booked_as_themselves_count_as_council_not_individual(figures, trainer):
    officer = factories.booking(
        figures["b"], UserFactory(), audience=Audience.COUNCIL_STAFF, organisation=None
    )
    services.mark(figures["b"], officer.attendees.get(), "present", by=trainer)
    assert reports.trained_by_sector() == [
        {"sector": "Business", "places": 2, "people": 2},
        {"sector": "Council", "places": 1, "people": 1},
        {"sector": "Individual (no organisation)", "places": 1, "people": 1},
    ]


def test_the_date_filter_narrows_the_report(staff_client, figures):
    client = staff_client(UserFactory(roles=["Commissioner"]))
    day = timezone.localdate(figures["b"].starts_at)
    response = client.get(
        reverse("service_report", args=["attendance-by-session"]),
        {"held_from": day.isoformat(), "held_to": day.isoformat(), "export": "csv"},
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r[0] for r in rows[1:]] == ["Coercive control"]


@pytest.mark.parametrize("slug", REPORTS)
def test_report_queries_do_not_grow_with_rows(
    staff_client, figures, slug, course_page, trainer, django_assert_max_num_queries
):
    client = staff_client(UserFactory(roles=["Commissioner"]))
    url = reverse("service_report", args=[slug])
    with django_assert_max_num_queries(50) as few:
        client.get(url)
    for day in range(3, 8):
        session = factories.session(course_page, trainers=[trainer], starts_in=timedelta(days=-day))
        booking = factories.booking(
            session,
            UserFactory(),
            organisation=OrganisationFactory(sector="voluntary"),
            unit_price_pence=1000,
        )
        mark = services.mark(session, booking.attendees.get(), "present", by=trainer)
        services.submit_feedback(services.feedback_token(mark), rating=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
