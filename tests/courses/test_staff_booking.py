"""Bookings taken by phone: a Coordinator books, finds, cancels and transfers places for a
caller from the staff area, through the same services, recorded and audited; nobody else
reaches these screens, and a session outside the staff member's scope is a 404."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from courses import services
from courses.models import Attendee, Audience, Booking
from portal.accounts.models import Sector, User
from portal.contact.selectors import is_discreet
from portal.models import AuditEvent, SafeContactPlan
from portal.places import HoldingStatus
from tests.courses import helpers
from tests.factories import OrganisationFactory, SafeContactPlanFactory, UserFactory
from tests.staff import sign_in_to_staff_area

pytestmark = pytest.mark.django_db

CALLER = {
    "name": "Carol Caller",
    "email": "carol@example.com",
    "phone": "07700 900123",
    "caller_attends": "on",
    "audience": Audience.PUBLIC,
    "payment": "free",
}


@pytest.fixture
def coordinator(client):
    user = UserFactory(roles=["Coordinator"])
    sign_in_to_staff_area(client, user)
    return user


def book_url(session) -> str:
    return reverse("courses_book_for_caller", args=[session.pk])


def test_a_coordinator_books_for_a_caller_recorded_audited_and_emailed(
    client, coordinator, training_session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(book_url(training_session), CALLER)
    booking = Booking.objects.get(session=training_session)
    assert response.status_code == 302
    assert response.url == reverse("courses_staff_booking", args=[booking.reference])
    assert booking.status == HoldingStatus.CONFIRMED
    assert booking.booked_by_staff == coordinator and booking.booked_by_staff_at is not None
    caller = booking.booked_by
    assert (caller.email, str(caller), caller.phone) == (
        "carol@example.com",
        "Carol Caller",
        "07700 900123",
    )
    assert not caller.has_usable_password()  # theirs to claim, by resetting it
    [attendee] = booking.attendees.all()
    assert (attendee.name, attendee.email) == ("Carol Caller", "carol@example.com")
    booked = AuditEvent.objects.get(target_id=str(booking.pk), detail__event="booked")
    assert booked.actor == coordinator and booked.detail["booked_for"] == caller.pk
    assert AuditEvent.objects.filter(actor=coordinator, detail__event="caller_account").exists()
    subjects = [m.subject for m in mail.outbox if m.to == ["carol@example.com"]]
    assert f"Booking {booking.reference}" in subjects
    assert any(s.startswith("Your place") for s in subjects)

    page = client.get(response.url)
    assert page.status_code == 200
    assert str(coordinator) in page.content.decode()
    assert AuditEvent.objects.filter(
        actor=coordinator, action="view", target_id=str(booking.pk)
    ).exists()


def test_the_same_request_twice_books_once(client, coordinator, training_session):
    client.post(book_url(training_session), CALLER)
    again = client.post(book_url(training_session), CALLER)
    assert again.status_code == 400
    assert "already has a place" in again.content.decode()
    assert Booking.objects.filter(session=training_session).count() == 1
    assert User.objects.filter(email="carol@example.com").count() == 1


def test_an_existing_account_is_used_and_its_discreet_choice_honoured(
    client, coordinator, training_session, django_capture_on_commit_callbacks
):
    caller = UserFactory(email="carol@example.com", plan={"service_may_be_named": False})
    # Booking tells the caller at once, so their plan comes first: nothing is booked yet,
    # nothing typed is lost, and the plan's view is audited.
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(book_url(training_session), {**CALLER, "name": "Someone Else"})
    page = first.content.decode()
    assert first.status_code == 200 and not Booking.objects.exists() and not mail.outbox
    assert "Safe-contact plan of Someone Else (the caller)" in page
    assert page.index("read before contacting") < page.index("I have read the plans")
    assert 'value="07700 900123"' in page
    plan = caller.safe_contact_plan
    assert AuditEvent.objects.filter(actor=coordinator, action="view", target_label=str(plan))
    read = {**CALLER, "name": "Someone Else", "plans_read_for": "carol@example.com"}
    # Read for another address is not read for this one.
    other = client.post(book_url(training_session), {**read, "plans_read_for": "x"})
    assert other.status_code == 200
    assert not Booking.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(book_url(training_session), read).status_code == 302
    booking = Booking.objects.get(session=training_session)
    assert booking.booked_by == caller
    caller.refresh_from_db()
    assert is_discreet(caller) and str(caller) != "Someone Else"
    sent = [m for m in mail.outbox if m.to == ["carol@example.com"]]
    assert sent and all(training_session.course.title not in m.subject for m in sent)


def test_discreet_messages_can_be_asked_for_on_the_phone(
    client, coordinator, training_session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(book_url(training_session), {**CALLER, "discreet": "on"})
    caller = User.objects.get(email="carol@example.com")
    assert is_discreet(caller)
    sent = [m for m in mail.outbox if m.to == ["carol@example.com"]]
    assert sent and all(training_session.course.title not in m.body for m in sent)


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"email": "not-an-address"}, "email", "valid email"),
        ({"caller_attends": ""}, "caller_attends", "at least one attendee"),
        ({"attendee_name_1": "Dan"}, "attendee_email_1", "email address of Dan"),
        ({"payment": "invoice"}, "payment", "This price is free"),
        ({"audience": "business"}, "audience", "Select a valid choice"),
    ],
)
def test_bad_input_is_told_next_to_its_field(
    client, coordinator, training_session, change, field, message
):
    response = client.post(book_url(training_session), {**CALLER, **change})
    assert response.status_code == 400
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    anchor = form[field].id_for_label or f"{form[field].auto_id}_0"  # radios: the first
    assert f'href="#{anchor}"' in response.content.decode()
    assert not Booking.objects.exists()


def test_a_priced_place_is_invoiced_to_an_organisation(client, coordinator, home_page):
    course = helpers.course(home_page, title="Paid", prices={Audience.BUSINESS: 4500})
    session = helpers.session(course)
    organisation = OrganisationFactory(invoiced=True)
    data = {
        **CALLER,
        "audience": Audience.BUSINESS,
        "organisation": organisation.pk,
        "payment": "invoice",
        "attendee_name_1": "Dan Colleague",
        "attendee_email_1": "dan@example.com",
    }
    free = client.post(
        reverse("courses_book_for_caller", args=[session.pk]), {**data, "payment": "free"}
    )
    assert "£45.00 a place" in " ".join(free.context["form"].errors["payment"])
    no_po = client.post(reverse("courses_book_for_caller", args=[session.pk]), data)
    assert "purchase-order" in " ".join(no_po.context["form"].errors["purchase_order"])
    assert not User.objects.filter(email="carol@example.com").exists()  # refused: no account
    client.post(
        reverse("courses_book_for_caller", args=[session.pk]), {**data, "purchase_order": "PO-1"}
    )
    booking = Booking.objects.get(session=session)
    assert booking.status == HoldingStatus.CONFIRMED and booking.is_invoiced
    assert booking.organisation == organisation and booking.invoice_owed_pence == 9000
    assert booking.quantity == 2


def test_a_card_payment_link_is_emailed(
    client, coordinator, home_page, stripe_standin, django_capture_on_commit_callbacks
):
    course = helpers.course(home_page, title="Paid", prices={Audience.PUBLIC: 2000})
    session = helpers.session(course)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("courses_book_for_caller", args=[session.pk]),
            {**CALLER, "payment": "card"},
            follow=True,
        )
    booking = Booking.objects.get(session=session)
    assert booking.status == HoldingStatus.HELD
    [link] = [m for m in mail.outbox if m.subject == f"Pay for booking {booking.reference}"]
    assert link.to == ["carol@example.com"] and "£20.00" in link.body
    assert "emailed a link to pay" in response.content.decode()
    assert AuditEvent.objects.filter(detail__event="payment_link_sent", actor=coordinator).exists()


@pytest.mark.parametrize("reference", ["TR-ABC", "TR-ABCDE1\x00", "TR-ABCDEI", "DROP TABLE"])
def test_finding_a_booking_wants_a_reference_of_the_right_shape(client, coordinator, reference):
    response = client.get(reverse("courses_find_booking"), {"reference": reference})
    assert response.status_code == 400, reference
    assert response.context["form"].errors["reference"]


def test_finding_a_booking_by_reference(client, coordinator, training_session):
    booking = services.book(
        session=training_session,
        user=UserFactory(),
        audience=Audience.PUBLIC,
        attendees=[services.AttendeeDetails("Ann", "ann@example.com")],
    )
    found = client.get(reverse("courses_find_booking"), {"reference": booking.reference.lower()})
    assert found.status_code == 302
    assert found.url == reverse("courses_staff_booking", args=[booking.reference])
    missing = client.get(reverse("courses_find_booking"), {"reference": "TR-ZZZZZZ"})
    assert missing.status_code == 404
    assert "No booking has the reference TR-ZZZZZZ" in missing.content.decode()


@pytest.fixture
def two_places(training_session):
    # An organisation of no priced sector books at the public price.
    organisation = OrganisationFactory(sector=Sector.OTHER)
    booker = UserFactory()
    booker.organisations.add(organisation)
    return services.book(
        session=training_session,
        user=booker,
        audience=Audience.PUBLIC,
        organisation=organisation,
        attendees=[
            services.AttendeeDetails("Ann", "ann@example.com"),
            services.AttendeeDetails("Bob", "bob@example.com"),
        ],
    )


def test_a_coordinator_cancels_and_transfers_places(client, coordinator, two_places):
    ann, bob = two_places.attendees.order_by("pk")
    ref = two_places.reference
    url = reverse("courses_staff_transfer", args=[ref, ann.pk])
    bad = client.post(url, {"name": "Cy", "email": "bob@example.com"})
    assert bad.status_code == 400 and "already has a place" in bad.content.decode()
    client.post(url, {"name": "Cy New", "email": "cy@example.com"})
    ann.refresh_from_db()
    assert ann.status == Attendee.Status.TRANSFERRED
    cy = ann.transferred_to
    assert cy.email == "cy@example.com"

    cancel = reverse("courses_staff_cancel_attendee", args=[ref, bob.pk])
    assert "Cancel Bob" in client.get(cancel).content.decode()
    client.post(cancel)
    bob.refresh_from_db()
    assert bob.status == Attendee.Status.CANCELLED
    client.post(reverse("courses_staff_cancel_booking", args=[ref]))
    two_places.refresh_from_db()
    assert two_places.status == HoldingStatus.CANCELLED
    events = set(
        AuditEvent.objects.filter(actor=coordinator, target_id=str(two_places.pk)).values_list(
            "detail__event", flat=True
        )
    )
    assert {"place_transferred", "place_cancelled", "booking_cancelled"} <= events


@pytest.mark.parametrize("role", ["Trainer", "Commissioner"])
def test_other_roles_cannot_reach_these_screens(client, role, training_session, two_places):
    user = UserFactory(roles=[role])
    training_session.trainers.add(user)
    sign_in_to_staff_area(client, user)
    attendee = two_places.attendees.first()
    ref = two_places.reference
    urls = [
        ("get", book_url(training_session)),
        ("post", book_url(training_session)),
        ("get", reverse("courses_find_booking")),
        ("get", reverse("courses_staff_booking", args=[ref])),
        ("post", reverse("courses_staff_cancel_booking", args=[ref])),
        ("post", reverse("courses_staff_cancel_attendee", args=[ref, attendee.pk])),
        ("post", reverse("courses_staff_transfer", args=[ref, attendee.pk])),
        ("post", reverse("courses_staff_payment_link", args=[ref])),
    ]
    for method, url in urls:
        response = getattr(client, method)(url, CALLER)
        # Wagtail answers "permission denied" in the staff area by going back to its home
        # page with a message; nothing here is shown or changed.
        denied = response.status_code == 302 and response.url == reverse("wagtailadmin_home")
        assert denied or response.status_code in (403, 404), url
    people = client.get(reverse("courses_session_people", args=[training_session.pk]))
    assert "Book for a caller" not in people.content.decode()
    two_places.refresh_from_db()
    assert two_places.status == HoldingStatus.CONFIRMED and two_places.quantity == 2


def test_a_session_outside_the_staff_members_scope_is_a_404(client, training_session, two_places):
    trainer = UserFactory(roles=["Trainer"])  # assigned to no session
    trainer.user_permissions.add(Permission.objects.get(codename="change_booking"))
    sign_in_to_staff_area(client, trainer)
    ref = two_places.reference
    assert client.get(book_url(training_session)).status_code == 404
    assert client.get(reverse("courses_staff_booking", args=[ref])).status_code == 404
    missing = client.get(reverse("courses_find_booking"), {"reference": ref})
    assert missing.status_code == 404 and "No booking has the reference" in missing.content.decode()


def test_the_people_screen_offers_booking_for_a_caller(client, coordinator, two_places):
    response = client.get(reverse("courses_session_people", args=[two_places.session_id]))
    body = response.content.decode()
    assert reverse("courses_book_for_caller", args=[two_places.session_id]) in body
    assert reverse("courses_staff_booking", args=[two_places.reference]) in body
    assert 'action="' + reverse("courses_find_booking") in body


CONTACT_CONTROLS = ("Transfer<span", "Transfer the place</button>", "Yes, cancel", "Book for a")


def test_the_people_and_booking_screens_show_each_persons_plan_before_any_contact(
    client, coordinator, two_places, settings
):
    settings.SMS_BACKEND = None
    booker = two_places.booked_by
    SafeContactPlan.objects.create(
        user=booker, email_is_safe=False, text_is_safe=True, preferred_name="Bee"
    )
    ann_plan = SafeContactPlanFactory(
        email="ann@example.com",
        phone_call_is_safe=True,
        voicemail_allowed=True,
        voicemail_wording="Calling about your appointment",
        service_may_be_named=False,
    )
    ref = two_places.reference
    ann = two_places.attendees.order_by("pk").first()
    screens = {
        "people": reverse("courses_session_people", args=[two_places.session_id]),
        "booking": reverse("courses_staff_booking", args=[ref]),
        "transfer": reverse("courses_staff_transfer", args=[ref, ann.pk]),
        "cancel": reverse("courses_staff_cancel_booking", args=[ref]),
    }
    for name, url in screens.items():
        page = client.get(url).content.decode()
        main = page[page.index("<main") :]
        controls = [c for c in CONTACT_CONTROLS if c in main]
        assert controls and all(
            main.index("read before contacting") < main.index(c) for c in controls
        ), name
        # A person whose only safe channel is text is to be phoned: no texts are sent yet.
        assert "Contact by phone (text only" in page, name
        assert f"(booked {ref})" in page and "Ann (attending, " + ref + ")" in page, name
        assert "Calling about your appointment" in page, name
        assert "Safe-contact plan of Bob" not in page  # Bob has none: the defaults apply
    for plan in (booker.safe_contact_plan, ann_plan):
        views = AuditEvent.objects.filter(
            actor=coordinator, action="view", target_label=str(plan), target_id=str(plan.pk)
        )
        assert views.count() == len(screens)
