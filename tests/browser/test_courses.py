"""Course journeys in Chromium: a business member books three places and pays through the
stand-in checkout; a member of the public joins a full session's waiting list, is offered a
place and accepts."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from courses import services
from courses.models import Attendee, Audience, Booking
from portal.payments.models import Payment, StripeEvent
from portal.places import HoldingStatus
from tests.browser.fixtures import assert_no_axe_violations
from tests.courses import helpers
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory
from tests.stripe_standin import stripe_standin  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def full_session(home_page):
    course = helpers.course(home_page, title="Understanding coercive control", topics=["Awareness"])
    session = helpers.session(course, capacity=1)
    holder = UserFactory()
    services.book(
        session=session,
        user=holder,
        audience=Audience.PUBLIC,
        attendees=[services.AttendeeDetails("Holder", holder.email)],
    )
    return session


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit], main input[type=submit]").first.click()
    page.wait_for_load_state()


def test_the_public_join_a_waiting_list_are_offered_a_place_and_accept(page, full_session):
    person = UserFactory(email="pat@example.com", first_name="Pat", last_name="Public")
    sign_in(page, person)

    page.goto("/training/")
    assert page.get_by_text("Full: join the waiting list").first.is_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=re.compile("Join the waiting list")).first.click()
    expect(page.locator("h1")).to_have_text("Join the waiting list")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Join the waiting list").click()
    expect(page.locator("h1")).to_have_text("You are on the waiting list")
    assert page.locator("#waiting-position").inner_text() == "You are number 1 on the waiting list."
    assert_no_axe_violations(page)

    waiting = Booking.objects.get(booked_by=person)
    holder_booking = Booking.objects.exclude(pk=waiting.pk).get()
    services.cancel_booking(holder_booking, by=holder_booking.booked_by)
    [offer_email] = [
        m for m in mail.outbox if m.to == [person.email] and "place is free" in m.subject
    ]
    link = re.search(r"(/training/offers/[^/\s]+/)", offer_email.body).group(1)

    page.goto(link)
    assert page.locator("h1").inner_text() == "Places are free for you"
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Accept the place").click()
    expect(page.locator("h1")).to_have_text("Booking confirmed")
    assert_no_axe_violations(page)
    waiting.refresh_from_db()
    assert waiting.status == HoldingStatus.CONFIRMED

    page.goto(link)
    assert page.locator("h1").inner_text() == "This offer is not available"
    assert page.get_by_text("already been used").is_visible()

    page.goto("/accounts/profile/")
    assert page.get_by_role("heading", name="My bookings").is_visible()
    assert_no_axe_violations(page)

    # How we may contact them: a mistake is shown next to its field, what was typed stays.
    assert page.get_by_role("heading", name="How we contact you").is_visible()
    page.get_by_role("link", name="Change how we contact you").click()
    expect(page.locator("h1")).to_have_text("How we contact you")
    assert_no_axe_violations(page)
    page.get_by_label("Text message").check()
    page.get_by_label("Safe from (optional)").fill("25:00")
    page.get_by_label("What name should we use? (optional)").fill("Pat")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a time in 24-hour")
    assert page.get_by_label("What name should we use? (optional)").input_value() == "Pat"
    assert_no_axe_violations(page)
    page.get_by_label("Safe from (optional)").fill("09:00")
    page.get_by_label("Safe until (optional)").fill("17:00")
    page.get_by_label("Phone number (optional)").fill("07700 900123")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/accounts/profile/")
    expect(page.get_by_text("Your contact preferences are saved.")).to_be_visible()
    assert person.safe_contact_plan.safe_windows == [["09:00", "17:00"]]

    # Their private calendar address (every kind of event they hold), and changing it.
    old_address = page.locator("code", has_text="/calendars/private/").inner_text()
    page.get_by_role("button", name="Change the address (the old one stops working)").click()
    page.wait_for_url("**/accounts/profile/")
    expect(page.get_by_text("Your calendar address has changed.")).to_be_visible()
    assert page.get_by_role("heading", name="Your calendar").is_visible()
    assert page.locator("code", has_text="/calendars/private/").inner_text() != old_address
    assert_no_axe_violations(page)


def test_a_bad_booking_shows_a_clear_message(page, full_session):
    from courses.models import Session

    person = UserFactory()
    sign_in(page, person)
    Session.objects.filter(pk=full_session.pk).update(status=Session.Status.CANCELLED)
    page.goto(f"/training/sessions/{full_session.pk}/book/")
    assert page.get_by_text("This session has been cancelled.").is_visible()
    assert_no_axe_violations(page)


PRICE_PENCE = 6000
ATTENDEES = [
    ("Alex Archer", "alex@acme.example.com", "Step-free access"),
    ("Bo Baker", "bo@acme.example.com", "Vegetarian"),
    ("Cam Carter", "cam@acme.example.com", ""),
]


@pytest.fixture
def paying_checkout(page, live_server, stripe_standin, settings):  # noqa: F811 - the fixture
    """The stand-in's checkout page is Stripe's in production: the one other host the
    browser may reach. It returns to the live server (SITE_URL) and, like Stripe, delivers the
    signed checkout.session.completed webhook there before the payer is sent back."""
    settings.SITE_URL = live_server.url
    stripe_standin.webhook_url = f"{live_server.url}/payments/stripe/webhook/"
    page.route(f"{stripe_standin.url}/**", lambda route: route.continue_())
    return stripe_standin


def test_a_business_member_books_three_places_and_pays(page, paying_checkout, home_page):
    course = helpers.course(
        home_page,
        title="DA in the workplace for employers",
        prices={Audience.BUSINESS: PRICE_PENCE},
        topics=["Workplace"],
    )
    session = helpers.session(course, capacity=10)
    member = UserFactory(email="morgan@acme.example.com", first_name="Morgan", last_name="Lee")
    organisation = OrganisationFactory(name="Acme Logistics")
    MembershipFactory(user=member, organisation=organisation)
    taken_before = session.places_taken()
    sign_in(page, member)

    page.goto("/training/")
    # The catalogue prices the session for the one audience that may book it.
    assert page.get_by_text("Business: £60.00", exact=True).is_visible()
    page.get_by_role("link", name=re.compile(r"^Book DA in the workplace")).click()
    expect(page.locator("h1")).to_have_text("Book a place")
    assert_no_axe_violations(page)
    # A number of places without the organisation: an error next to the field, linked from
    # the summary, and what was typed kept.
    page.get_by_label("How many places").fill("3")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.get_by_label("How many places")).to_have_value("3")
    assert_no_axe_violations(page)
    page.locator(".govuk-error-summary a").first.click()
    expect(page.get_by_label("How many places")).to_be_focused()
    page.get_by_label("Acme Logistics").check()
    page.get_by_role("button", name="Continue").click()
    # Wait for the next page: counting at once could still see the one before.
    expect(page.locator("legend", has_text=re.compile(r"^Attendee \d$"))).to_have_count(3)
    # Places for the organisation are at its audience's price: no price to choose.
    assert page.locator("#price").inner_text() == "Business: £60.00 a place, £180.00 in all"
    assert page.locator("input[name=audience]").count() == 0
    # One form, one submit: a missing email is an error in the summary, the names kept.
    for number, (name, _email, _needs) in enumerate(ATTENDEES):
        page.fill(f"#id_form-{number}-name", name)
    page.get_by_role("button", name="Confirm booking").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert (
        "Attendee 1: Enter the email address." in page.locator(".govuk-error-summary").inner_text()
    )
    expect(page.locator("#id_form-2-name")).to_have_value(ATTENDEES[2][0])
    assert_no_axe_violations(page)
    for number, (name, email, needs) in enumerate(ATTENDEES):
        page.fill(f"#id_form-{number}-name", name)
        page.fill(f"#id_form-{number}-email", email)
        page.fill(f"#id_form-{number}-needs", needs)
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Confirm booking").click()

    # The stand-in's checkout (Stripe's hosted page in production): not ours to audit.
    page.wait_for_url(f"{paying_checkout.url}/checkout/**")
    assert page.locator("h1").inner_text() == "Pay £180.00"
    booking = Booking.objects.get(booked_by=member)
    assert booking.status == HoldingStatus.HELD
    page.get_by_role("button", name="Pay").click()

    page.wait_for_url(f"**/training/bookings/{booking.reference}/")
    assert page.locator("h1").inner_text() == "Booking confirmed"
    assert page.locator(".govuk-panel__body strong").inner_text() == booking.reference
    for name, email, _ in ATTENDEES:
        assert page.get_by_role("cell", name=name, exact=True).is_visible()
        assert page.get_by_role("cell", name=email, exact=True).is_visible()
    assert page.get_by_role("link", name=re.compile("^Add to calendar")).count() == 3
    # Whole words: at a phone's width an email address (one word) stays on one line; the
    # table scrolls sideways instead of breaking it.
    page.set_viewport_size({"width": 320, "height": 640})
    cell = page.get_by_role("cell", name="alex@acme.example.com", exact=True)
    lines = cell.evaluate(
        "c => { const r = document.createRange(); r.selectNodeContents(c);"
        " return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"
    )
    assert lines == 1
    page.set_viewport_size({"width": 1280, "height": 800})
    assert_no_axe_violations(page)

    # One booking, one reference, three named places, confirmed by Stripe's signed webhook.
    assert Booking.objects.filter(booked_by=member).count() == 1
    booking.refresh_from_db()
    assert booking.status == HoldingStatus.CONFIRMED
    assert booking.quantity == 3 and booking.organisation == organisation
    assert sorted(
        booking.attendees.filter(status=Attendee.Status.ACTIVE).values_list(
            "name", "email", "needs"
        )
    ) == sorted(ATTENDEES)
    assert session.places_taken() == taken_before + 3
    assert paying_checkout.webhook_responses == [200]
    assert StripeEvent.objects.count() == 1

    # Charged once, for three places at the business price.
    [payment] = Payment.objects.all()
    assert payment.reference == booking.reference
    assert payment.status == Payment.Status.PAID
    assert payment.amount_pence == 3 * PRICE_PENCE
    [charge] = paying_checkout.charges.values()
    assert charge["amount"] == 3 * PRICE_PENCE
    assert [r.path for r in paying_checkout.writes()] == ["/v1/checkout/sessions"]

    # A calendar invite to each attendee, and the booker told once it was confirmed.
    invites = [m for m in mail.outbox if m.subject == f"Your place: {course.title}"]
    assert sorted(m.to[0] for m in invites) == sorted(email for _, email, _ in ATTENDEES)
    for message in invites:
        [(filename, content, mimetype)] = message.attachments
        assert mimetype.startswith("text/calendar")
        assert "METHOD:REQUEST" in content
    assert [m.to for m in mail.outbox if m.subject == f"Booking {booking.reference} confirmed"] == [
        [member.email]
    ]
