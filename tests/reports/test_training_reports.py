import csv
import dataclasses
import io
import re
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
from portal.reports import registry
from portal.reports.registry import Percent
from programmes import services as programme_services
from referrals import services as referral_services
from tests.attendance import factories
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.programmes import builders as programme_builders
from tests.referrals import factories as referral_factories
from tests.volunteers import helpers as volunteer_helpers
from volunteers.models import EqualityMonitoring

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
        {"sector": "Total", "places": 3, "people": 3},
    ]
    assert reports.trained_by_audience() == [
        {"audience": "Business", "places": 2, "people": 2},
        {"audience": "Member of the public", "places": 1, "people": 1},
        {"audience": "Total", "places": 3, "people": 3},
    ]
    month, total = reports.trained_by_month()
    assert (month["places"], total) == (3, {"month": "Total", "places": 3, "people": 3})
    # Reports filter by the date in Europe/London: a UTC date is a day out late on summer nights.
    tomorrow = timezone.localdate(figures["a"].starts_at) + timedelta(days=1)
    assert reports.trained_by_sector(date_from=tomorrow) == []  # no total row for nothing


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


TRAINER_REPORTS = ["attendance-by-session", "attendance-by-course", "training-feedback"]


@pytest.mark.parametrize("role", ["Commissioner", "Coordinator"])
def test_commissioners_and_coordinators_see_every_report(staff_client, figures, role):
    client = staff_client(UserFactory(roles=[role]))
    index = client.get(reverse("service_reports"))
    assert index.status_code == 200
    for slug in REPORTS:
        assert reverse("service_report", args=[slug]) in index.text
        response = client.get(reverse("service_report", args=[slug]))
        assert response.status_code == 200, slug


def test_trainers_see_attendance_and_feedback_only(staff_client, figures):
    """Each report has its own permission: a trainer's are attendance and feedback, not
    who was trained by sector or what was paid (a 404, as for no such report)."""
    client = staff_client(UserFactory(roles=["Trainer"]))
    index = client.get(reverse("service_reports")).text
    for slug in REPORTS:
        url = reverse("service_report", args=[slug])
        expected = 200 if slug in TRAINER_REPORTS else 404
        assert client.get(url).status_code == expected, slug
        assert client.get(url, {"export": "csv"}).status_code == expected, slug
        assert (url in index) == (slug in TRAINER_REPORTS), slug


@pytest.mark.parametrize("role", ["Editor", "Programme facilitator"])
def test_other_staff_see_no_report_and_no_menu_item(staff_client, figures, role):
    client = staff_client(UserFactory(roles=[role]))
    assert client.get(reverse("service_reports")).status_code == 404
    response = client.get(reverse("service_report", args=[REPORTS[0]]))
    assert response.status_code == 404
    assert b"Business" not in response.content
    assert reverse("service_reports") not in client.get(reverse("wagtailadmin_home")).text


def test_every_report_counts_only_the_requesting_users_scope(figures, trainer, site_root):
    """Every registered report, not only the training ones checked by hand: with data in
    every report, a coordinator assigned to nothing and a trainer who trains nothing count
    nothing, while a commissioner counts the whole service."""
    roles = volunteer_helpers.roles(site_root)
    volunteer_helpers.active(
        role=roles["office"],
        coordinator=volunteer_helpers.coordinator(),
        # Renewal (three years on) due within the next twelve months.
        dbs_issued_on=timezone.localdate().replace(day=1, year=timezone.localdate().year - 3)
        + timedelta(days=60),
    )
    EqualityMonitoring.objects.create(month=timezone.localdate().replace(day=1))
    commissioner = UserFactory(roles=["Commissioner"])
    nobodys = [UserFactory(roles=["Coordinator"], localities=[]), UserFactory(roles=["Trainer"])]
    # The referral and helpline reports' data: a referral and an advice call in the North.
    referral = referral_factories.referral("north")
    referral_services.record_advice(
        by=trainer,
        caller_type="family",
        topic="worried",
        advice="Advice",
        locality=referral.locality,
    )
    # A community worker's case in the North that ended.
    worker = UserFactory(roles=["Community worker"], localities=["north"])
    ended = referral_factories.referral("north")
    referral_services.decide(ended, by=trainer, outcome="community_worker", worker=worker)
    referral_services.close_case(ended, by=worker, closure="support_completed")
    # The programme reports' data: in the North, one person placed, one who withdrew, and
    # one waiting for the place that withdrawal left.
    group = programme_builders.cohort(programme_builders.programme(site_root), capacity=2)
    by = programme_builders.coordinator("north")
    programme_builders.enrolled(group, by=by)
    programme_services.withdraw(programme_builders.enrolled(group, by=by), by=by)
    waiting = programme_builders.referred("north", by=by)
    programme_builders.assessed(group.programme, waiting, by)
    programme_services.offer_place(group, referral=waiting, by=by)
    for report in registry.all_reports():
        assert report.shown_rows(None, None, user=commissioner), report.slug
        for user in nobodys:
            assert report.shown_rows(None, None, user=user) == [], (report.slug, user)


def test_every_report_declares_a_permission_that_exists(monkeypatch):
    assert registry.check_permissions_are_declared() == []
    typo = dataclasses.replace(
        registry._reports["training-income"],
        slug="typo",
        permission="courses.report_trainig_income",
    )
    monkeypatch.setitem(registry._reports, "typo", typo)
    (error,) = registry.check_permissions_are_declared()
    assert error.id == "reports.E001" and "typo" in error.msg


def _xlsx(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return list(sheet.iter_rows(values_only=True))


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_exports_show_suppressed_counts_never_the_numbers(staff_client, figures):
    """2 in Business, 1 individual, 3 in all: every count is from 1 to 4."""
    client = staff_client(UserFactory(roles=["Commissioner"]))
    url = reverse("service_report", args=["training-by-sector"])
    rows = _xlsx(client.get(url, {"export": "xlsx"}))
    assert rows[0] == ("Sector", "Places attended", "Different people (by email)")
    assert rows[1:] == [
        ("Business", "fewer than 5", "fewer than 5"),
        ("Individual (no organisation)", "fewer than 5", "fewer than 5"),
        ("Total", "fewer than 5", "fewer than 5"),
    ]
    assert _csv(client.get(url, {"export": "csv"}))[1] == [
        "Business",
        "fewer than 5",
        "fewer than 5",
    ]
    screen = client.get(url).text
    assert "fewer than 5" in screen and "<td>2</td>" not in screen.replace(" ", "")


@pytest.fixture
def twenty_marked(course_page, trainer):
    """One session, twenty people marked: 15 present, 2 late, 3 absent."""
    session = factories.session(course_page, trainers=[trainer], starts_in=timedelta(days=-3))
    people = [(f"Person {i}", f"person{i}@example.com", None) for i in range(20)]
    booking = factories.booking(session, UserFactory(), people=people)
    marks = ["present"] * 15 + ["late"] * 2 + ["absent"] * 3
    attendees = booking.attendees.order_by("pk")
    services.take_register(
        session, {a.pk: mark for a, mark in zip(attendees, marks, strict=True)}, by=trainer
    )
    return session


def test_a_hidden_count_hides_what_is_worked_out_from_it_on_screen_and_in_exports(
    staff_client, twenty_marked
):
    """Late (2) and absent (3) are fewer than 5; together they are 5, so with present and the
    total shown neither can be worked out. Both rates would give them away: hidden."""
    client = staff_client(UserFactory(roles=["Commissioner"]))
    url = reverse("service_report", args=["attendance-by-session"])
    expected = {
        "Booked now": "20",
        "Marked": "20",
        "Present": "15",
        "Late": "fewer than 5",
        "Absent": "fewer than 5",
        "Apologies": "0",
        "Attendance rate % (present or late)": "hidden",
        "No-show rate % (absent without apologies)": "hidden",
    }
    (row,) = csv.DictReader(
        io.StringIO(b"".join(client.get(url, {"export": "csv"}).streaming_content).decode())
    )
    assert {key: row[key] for key in expected} == expected
    heading, values = _xlsx(client.get(url, {"export": "xlsx"}))
    xlsx = dict(zip(heading, values, strict=True))
    assert {key: str(xlsx[key]) for key in expected} == expected
    table = client.get(url).text.split("<tbody>")[1].split("</tbody>")[0]
    cells = re.findall(r"<td[^>]*>\s*(.*?)\s*</td>", table, re.S)
    assert cells[2:] == list(expected.values())


def test_rates_export_as_numbers_not_text(staff_client, course_page, trainer):
    """75% is the number 0.75 shown as a percentage in XLSX, and 75 in CSV (its heading says
    "%"). Twenty marked: 15 present and 5 absent, so no count is suppressed."""
    session = factories.session(course_page, trainers=[trainer], starts_in=timedelta(days=-3))
    people = [(f"Person {i}", f"person{i}@example.com", None) for i in range(20)]
    attendees = factories.booking(session, UserFactory(), people=people).attendees.order_by("pk")
    marks = ["present"] * 15 + ["absent"] * 5
    services.take_register(
        session, {a.pk: mark for a, mark in zip(attendees, marks, strict=True)}, by=trainer
    )
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
    assert sheet.cell(row=2, column=heading.index("Present") + 1).value == 15
    rows = list(
        csv.DictReader(
            io.StringIO(b"".join(client.get(url, {"export": "csv"}).streaming_content).decode())
        )
    )
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
        {"sector": "Total", "places": 4, "people": 4},
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


def test_an_administrator_gives_or_takes_one_report_in_wagtails_group_editor(staff_client):
    from django.contrib.auth.models import Group

    client = staff_client(UserFactory(is_superuser=True))
    trainers = Group.objects.get(name="Trainer")
    page = client.get(reverse("wagtailusers_groups:edit", args=[trainers.pk])).text
    assert "Can see the report: training income" in page
    # Wagtail takes a model's name off the end of a label ("... by session" would lose it).
    assert "Can see the report: each session&#x27;s attendance and no-shows" in page
