"""The staff-scope matrix (issue 12, item 2): every staff URL of one session (and of the
payment, organisation, safe-contact plan and account that come with its booking) × every
staff role × assigned or not. A role that may open a URL for a record it is assigned to gets
404 for one it is not, the same answer as for a record that does not exist, and the page
names none of that record's people; a role that may not open it at all is answered the same
whichever record it asks for. Listings and report rows leave out what is not theirs.

Cheap by design: the sessions, people and signed-in clients are made once for the module
(inside a transaction rolled back at its end); each case is two or three requests."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from courses import reports
from courses.models import Booking
from courses.payments import PURPOSE
from portal.attendance.models import AttendanceMark
from portal.contact.models import SafeContactPlan
from portal.localities import Locality
from portal.payments.models import Payment, Refund
from tests.attendance import factories
from tests.factories import OrganisationFactory, UserFactory
from tests.staff import sign_in_to_staff_area

ROLES = [
    "Superuser",
    "Coordinator",
    "Trainer",
    "Programme facilitator",
    "Volunteer coordinator",
    "Commissioner",
]
SECRETS = ("Sam Southern", "sam.southern@example.com", "Southern Secrets Ltd")


def session_urls(ids: dict[str, int]) -> dict[str, tuple[str, str]]:
    """Every staff URL about one session and what comes with its booking: (method, url)."""
    pk, booking_pk = ids["session"], ids["booking"]
    register = reverse("attendance_register", args=["courses.session", pk])
    payment, organisation, plan = ids["payment"], ids["organisation"], ids["plan"]
    return {
        "people": ("get", reverse("courses_session_people", args=[pk])),
        "offer": ("post", reverse("courses_offer_places", args=[pk, booking_pk])),
        "attendees.csv": ("get", reverse("courses_attendee_export", args=[pk])),
        "register": ("get", register),
        "register save": ("post", register),
        "edit": ("get", reverse("course_sessions:edit", args=[pk])),
        "delete": ("get", reverse("course_sessions:delete", args=[pk])),
        "copy": ("get", reverse("course_sessions:copy", args=[pk])),
        "history": ("get", reverse("course_sessions:history", args=[pk])),
        "usage": ("get", reverse("course_sessions:usage", args=[pk])),
        "payment": ("get", reverse("payments_payment:inspect", args=[payment])),
        "payment history": ("get", reverse("payments_payment:history", args=[payment])),
        "refund": ("get", reverse("payments_refund:inspect", args=[ids["refund"]])),
        "organisation": ("get", reverse("organisations:inspect", args=[organisation])),
        "organisation edit": ("get", reverse("organisations:edit", args=[organisation])),
        "plan": ("get", reverse("safe_contact_plans:inspect", args=[plan])),
        "plan edit": ("get", reverse("safe_contact_plans:edit", args=[plan])),
        "plan history": ("get", reverse("safe_contact_plans:history", args=[plan])),
        "account edit": ("get", reverse("wagtailusers_users:edit", args=[ids["user"]])),
    }


SOME_IDS = dict.fromkeys(
    ["session", "booking", "payment", "refund", "organisation", "plan", "user"], 1
)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """A North session and a South one, each with one booked person; one signed-in client
    per role, assigned to North (a trainer: training the North session)."""
    with django_db_blocker.unblock(), transaction.atomic():
        north, south = Locality.objects.get(slug="north"), Locality.objects.get(slug="south")
        root = Page.get_first_root_node().add_child(instance=Page(title="Home", slug="matrix"))
        course = factories.course(root)
        staff = {}
        for role in ROLES:
            if role == "Superuser":
                staff[role] = UserFactory(is_superuser=True, is_staff=True)
            else:
                staff[role] = UserFactory(
                    roles=[role], localities=[] if role == "Trainer" else ["north"]
                )
        mine = factories.session(course, locality=north, trainers=[staff["Trainer"]])
        theirs = factories.session(course, locality=south)
        nina, sam = UserFactory(), UserFactory(first_name="Sam", last_name="Southern")
        mine_org = OrganisationFactory(name="Northern Mills")
        theirs_org = OrganisationFactory(name="Southern Secrets Ltd")
        own = factories.booking(
            mine, nina, organisation=mine_org, people=[("Nina North", "nina@example.com", None)]
        )
        other = factories.booking(
            theirs, sam, organisation=theirs_org, people=[(*SECRETS[:2], None)]
        )
        ids = {}
        for key, booking, attendee_email in (
            ("mine", own, "nina@example.com"),
            ("theirs", other, SECRETS[1]),
        ):
            payment = Payment.objects.create(
                purpose=PURPOSE,
                reference=booking.reference,
                description="DA awareness",
                amount_pence=4500,
                customer_email=attendee_email,
                hold_expires_at=timezone.now(),
                status=Payment.Status.PAID,
            )
            refund = Refund.objects.create(
                payment=payment, amount_pence=100, reason="Test", idempotency_key=booking.reference
            )
            # A plan of an attendee without an account, found by the blind index of their email.
            plan = SafeContactPlan.objects.create(name="Attendee", email=attendee_email)
            ids[key] = {
                "session": booking.session_id,
                "booking": booking.pk,
                "payment": payment.pk,
                "refund": refund.pk,
                "organisation": booking.organisation_id,
                "plan": plan.pk,
                "user": booking.booked_by_id,
            }
        for session, booking in ((mine, own), (theirs, other)):
            AttendanceMark.objects.create(
                occurrence_type_id=_type_id(session),
                occurrence_id=session.pk,
                person_type_id=_type_id(booking.attendees.get()),
                person_id=booking.attendees.get().pk,
                status="present",
            )
        for booking in (own, other):
            Booking.objects.filter(pk=booking.pk).update(
                payment_method="invoice", unit_price_pence=4500, invoice_owed_pence=4500
            )
        clients = {}
        for role, user in staff.items():
            clients[role] = Client()
            sign_in_to_staff_area(clients[role], user)
        yield {
            "staff": staff,
            "clients": clients,
            "mine": (mine, own),
            "theirs": (theirs, other),
            "ids": ids,
        }
        transaction.set_rollback(True)


def _type_id(obj) -> int:
    return ContentType.objects.get_for_model(obj).pk


def _ask(client, method, url):
    return getattr(client, method)(url, {"mark_all_present": "1"} if method == "post" else {})


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(session_urls(SOME_IDS)))
@pytest.mark.parametrize("role", ROLES)
def test_not_assigned_is_a_404_that_reveals_nothing(world, role, name):
    client = world["clients"][role]
    mine, theirs = world["ids"]["mine"], world["ids"]["theirs"]
    method, url = session_urls(mine)[name]
    assigned = _ask(client, method, url)
    method, url = session_urls(theirs)[name]
    unassigned = _ask(client, method, url)
    nothing = {key: pk + 1000 for key, pk in theirs.items()} | {"booking": theirs["booking"]}
    method, url = session_urls(nothing)[name]
    missing = _ask(client, method, url)
    body = unassigned.content.decode(errors="replace")
    # Superusers see everything; commissioners every organisation (what figures count by).
    if role == "Superuser" or (role == "Commissioner" and name.startswith("organisation")):
        assert unassigned.status_code == assigned.status_code, name
        return
    for secret in SECRETS:
        assert secret not in body, (role, name)
    if assigned.status_code in (200, 302) and not _denied(assigned):
        assert unassigned.status_code == 404, (role, name)
    # Whatever the role may do, asking for their session says no more than for none at all.
    assert unassigned.status_code == missing.status_code, (role, name)


def _denied(response) -> bool:
    """Wagtail answers a missing permission with a redirect to the dashboard."""
    return response.status_code == 302 and response["Location"].rstrip("/").endswith("/admin")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_session_listing_shows_only_theirs(world, role):
    (mine, _), (theirs, _) = world["mine"], world["theirs"]
    response = world["clients"][role].get(reverse("course_sessions:index"))
    if response.status_code != 200:
        return
    edit = reverse("course_sessions:edit", args=[theirs.pk])
    html = response.content.decode()
    if role in ("Superuser", "Commissioner"):
        # Superusers see everything; commissioners see every session's figures.
        assert f"{theirs.locality.name}" in html
    else:
        assert edit not in html
        assert reverse("courses_session_people", args=[theirs.pk]) not in html
        if role in ("Coordinator", "Trainer"):
            assert reverse("courses_session_people", args=[mine.pk]) in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_report_rows_count_only_what_the_role_may_see(world, role):
    user = world["staff"][role]
    (mine, _), (theirs, _) = world["mine"], world["theirs"]
    sessions = {row["pk"] for row in reports.attendance_by_session(user=user)}
    if role in ("Superuser", "Commissioner"):
        assert sessions == {mine.pk, theirs.pk}
    else:
        assert sessions == {mine.pk}


@pytest.mark.django_db
def test_the_report_page_passes_the_requesting_user(world):
    url = reverse("service_report", args=["attendance-by-session"])
    coordinator = world["clients"]["Coordinator"].get(url, {"export": "csv"})
    commissioner = world["clients"]["Commissioner"].get(url, {"export": "csv"})
    assert coordinator.status_code == commissioner.status_code == 200
    # A heading and one row per session: the coordinator's North one; both for commissioners.
    assert len(_lines(coordinator)) == 2
    assert len(_lines(commissioner)) == 3


def _lines(response) -> list[str]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode().strip().splitlines()


@pytest.mark.django_db
def test_invoices_owed_are_scoped_too(world):
    (_, own), (_, other) = world["mine"], world["theirs"]
    url = reverse("courses_invoices_owed")
    coordinator = world["clients"]["Coordinator"]
    listing = coordinator.get(url).content.decode()
    assert own.reference in listing and other.reference not in listing
    assert other.reference in world["clients"]["Commissioner"].get(url).content.decode()
    paid = coordinator.post(reverse("courses_invoice_paid", args=[other.pk]))
    assert paid.status_code == 404
    other.refresh_from_db()
    assert other.invoice_paid_at is None


LISTINGS = {
    "payments": ("payments_payment:index", "payment"),
    "organisations": ("organisations:index", "organisation"),
    "safe-contact plans": ("safe_contact_plans:index", "plan"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("listing", list(LISTINGS))
@pytest.mark.parametrize("role", ROLES)
def test_shared_listings_show_only_theirs(world, role, listing):
    """The listings of kinds several apps share: what a role's sessions give it, no more."""
    url_name, kind = LISTINGS[listing]
    response = world["clients"][role].get(reverse(url_name))
    if response.status_code != 200:
        return
    html = response.content.decode()
    edit_or_inspect = url_name.replace(":index", ":inspect")
    mine, theirs = world["ids"]["mine"][kind], world["ids"]["theirs"][kind]
    links_theirs = reverse(edit_or_inspect, args=[theirs]) in html
    if role == "Superuser" or (role == "Commissioner" and kind == "organisation"):
        assert links_theirs
    else:
        assert not links_theirs and SECRETS[2] not in html
        if role == "Coordinator":
            assert reverse(edit_or_inspect, args=[mine]) in html
