"""An organisation's admins see, on "My account", its members and every booking made for it
(by any member), and can cancel and transfer its places; a plain member sees only their own,
and another organisation's bookings are a 404 to them."""

import pytest
from django.urls import reverse

from courses import selectors, services
from courses.models import Attendee, Audience, CourseAudience
from portal.models import AuditEvent
from portal.places import HoldingStatus
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(training_session):
    """Northgate: an admin, a member who booked two colleagues; and Southgate's booking."""
    northgate = OrganisationFactory(name="Northgate Ltd")
    admin = MembershipFactory(organisation=northgate, is_admin=True).user
    member = MembershipFactory(organisation=northgate, user__first_name="Mo").user
    booking = services.book(
        session=training_session,
        user=member,
        audience=Audience.BUSINESS,
        organisation=northgate,
        attendees=[
            services.AttendeeDetails("Ann Colleague", "ann@example.com"),
            services.AttendeeDetails("Bob Colleague", "bob@example.com"),
        ],
    )
    southgate = MembershipFactory(organisation__name="Southgate Ltd", is_admin=True)
    theirs = services.book(
        session=training_session,
        user=southgate.user,
        audience=Audience.BUSINESS,
        attendees=[services.AttendeeDetails("Sam South", "sam@example.com")],
        organisation=southgate.organisation,
    )
    return {"admin": admin, "member": member, "booking": booking, "theirs": theirs}


@pytest.fixture(autouse=True)
def business_price(training_session):
    CourseAudience.objects.create(
        course=training_session.course, audience=Audience.BUSINESS, price_pence=0
    )


def sign_in(client, user):
    assert client.login(email=user.email, password=PASSWORD)


def test_an_admin_sees_the_members_and_bookings_on_my_account(client, org):
    sign_in(client, org["admin"])
    body = client.get(reverse("my_account")).content.decode()
    assert "Your organisation&#x27;s bookings" in body
    booking = org["booking"]
    assert reverse("courses:booking", args=[booking.reference]) in body
    assert "Ann Colleague" in body and "Bob Colleague" in body
    assert org["member"].email in body and org["admin"].email in body
    assert org["theirs"].reference not in body and "Sam South" not in body


def test_an_admin_cancels_and_transfers_a_members_places(client, org):
    sign_in(client, org["admin"])
    booking = org["booking"]
    ann, bob = booking.attendees.order_by("pk")
    page = client.get(reverse("courses:booking", args=[booking.reference]))
    assert page.status_code == 200 and "as an admin of Northgate Ltd" in page.content.decode()
    client.post(
        reverse("courses:transfer", args=[booking.reference, ann.pk]),
        {"name": "Cy Colleague", "email": "cy@example.com"},
    )
    ann.refresh_from_db()
    assert ann.status == Attendee.Status.TRANSFERRED
    client.post(reverse("courses:cancel_attendee", args=[booking.reference, bob.pk]))
    bob.refresh_from_db()
    assert bob.status == Attendee.Status.CANCELLED
    events = AuditEvent.objects.filter(actor=org["admin"], target_id=str(booking.pk))
    assert {"place_transferred", "place_cancelled"} <= set(
        events.values_list("detail__event", flat=True)
    )


def test_a_plain_member_manages_only_their_own(client, org):
    other_member = MembershipFactory(organisation=org["booking"].organisation).user
    sign_in(client, other_member)
    assert "Your organisation" not in client.get(reverse("my_account")).content.decode()
    booking = org["booking"]
    ann = booking.attendees.first()
    assert client.get(reverse("courses:booking", args=[booking.reference])).status_code == 404
    response = client.post(reverse("courses:cancel_attendee", args=[booking.reference, ann.pk]))
    assert response.status_code == 404
    ann.refresh_from_db()
    assert ann.status == Attendee.Status.ACTIVE


def test_another_organisations_booking_is_a_404_to_an_admin(client, org):
    sign_in(client, org["admin"])
    theirs = org["theirs"]
    sam = theirs.attendees.get()
    for method, url in [
        ("get", reverse("courses:booking", args=[theirs.reference])),
        ("post", reverse("courses:cancel", args=[theirs.reference])),
        ("post", reverse("courses:transfer", args=[theirs.reference, sam.pk])),
    ]:
        response = getattr(client, method)(url, {"name": "X", "email": "x@example.com"})
        assert response.status_code == 404, url
    theirs.refresh_from_db()
    assert theirs.status == HoldingStatus.CONFIRMED


def test_admin_rights_are_only_for_their_own_organisation(org):
    admin, booking, theirs = org["admin"], org["booking"], org["theirs"]
    assert selectors.may_manage_booking(admin, booking)
    assert not selectors.may_manage_booking(admin, theirs)
    assert not selectors.may_manage_booking(org["member"], theirs)
    assert selectors.may_manage_booking(org["member"], booking)  # they made it
    assert list(selectors.organisations_administered_by(org["member"])) == []


def test_my_account_asks_no_more_of_the_database_for_more_bookings(client, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.courses import helpers

    sign_in(client, org["admin"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("my_account")).status_code == 200
        return len(captured)

    queries()  # the first request fills caches (the site, content types)
    before = queries()
    for n in range(3):
        session = helpers.session(org["booking"].session.course, days=20 + n)
        services.book(
            session=session,
            user=org["member"],
            audience=Audience.BUSINESS,
            organisation=org["booking"].organisation,
            attendees=[services.AttendeeDetails(f"Extra {n}", f"extra{n}@example.com")],
        )
    queries()  # the new sessions changed public content: the kept helpline settings refill
    assert queries() == before
