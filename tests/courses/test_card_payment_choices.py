"""Card payment only where it can be taken; the booker told when a hold lapses unpaid; a
failed checkout start says what happened."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from courses.models import Audience, Booking
from portal import places
from portal.payments import stripe_api
from portal.payments.models import Payment
from portal.places import HoldingStatus
from tests.courses import helpers
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_card_payments(settings):
    settings.DEBUG = False
    settings.STRIPE_SECRET_KEY = settings.STRIPE_PUBLISHABLE_KEY = ""
    settings.STRIPE_API_BASE = ""


@pytest.fixture
def paid_session(home_page):
    course = helpers.course(
        home_page,
        title="Paid course",
        prices={Audience.PUBLIC: 4500, Audience.BUSINESS: 9000, Audience.COUNCIL_STAFF: 0},
    )
    return helpers.session(course, capacity=5)


def test_without_stripe_keys_a_paid_place_is_not_offered_and_contact_us_is(
    client, no_card_payments, paid_session
):
    client.force_login(UserFactory())
    url = reverse("courses:book", args=[paid_session.pk])
    page = client.get(url).content.decode()
    assert "Contact us to book" in page
    assert "By card, now" not in page
    response = client.post(url, {"audience": Audience.PUBLIC, "self-needs": ""})
    assert response.status_code == 400
    assert not Booking.objects.exists() and not Payment.objects.exists()


def test_without_stripe_keys_an_invoiced_organisation_pays_by_invoice_only(
    client, no_card_payments, paid_session
):
    member = MembershipFactory(organisation__sector="business", organisation__invoiced=True).user
    client.force_login(member)
    organisation = member.organisations.get()
    url = reverse("courses:book", args=[paid_session.pk]) + f"?for={organisation.pk}"
    page = client.get(url).content.decode()
    assert "By invoice, with a purchase-order number" in page
    assert "By card, now" not in page
    # A card payment sent anyway is refused with the reason, and nothing is held.
    response = client.post(
        url,
        {
            "audience": Audience.BUSINESS,
            "organisation": organisation.pk,
            "payment": "card",
            "form-TOTAL_FORMS": 1,
            "form-INITIAL_FORMS": 0,
            "form-0-name": "Alex Able",
            "form-0-email": "alex@business.example",
        },
    )
    assert "Paying by card is not available on this site" in response.content.decode()
    assert not Booking.objects.exists()


def test_without_stripe_keys_nothing_is_ever_sent_to_stripe(no_card_payments):
    with pytest.raises(stripe_api.NotConfigured):
        stripe_api.client()


def test_a_checkout_that_cannot_start_says_what_happened(client, paid_session):
    """Stripe unreachable (the suite's Stripe address has nothing listening)."""
    booker = UserFactory()
    client.force_login(booker)
    response = client.post(
        reverse("courses:book", args=[paid_session.pk]),
        {"audience": Audience.PUBLIC, "self-needs": ""},
        follow=True,
    )
    page = response.content.decode()
    booking = Booking.objects.get()
    assert booking.status == HoldingStatus.HELD
    assert f"Booking {booking.reference} is made" in page
    assert "could not be reached, so nothing was charged" in page
    assert "try again" not in page.lower()


def _held_place(paid_session, booker):
    """A public place on the priced session, held while its booker pays by card."""
    from courses import services

    return services.book(
        session=paid_session,
        user=booker,
        audience=Audience.PUBLIC,
        attendees=[services.AttendeeDetails(name="Sam Booker", email=booker.email)],
    )


def test_a_hold_that_lapses_unpaid_tells_the_booker(
    client, paid_session, django_capture_on_commit_callbacks
):
    booker = UserFactory()
    booking = _held_place(paid_session, booker)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        places.expire_lapsed(now=booking.expires_at + timedelta(seconds=1))
    [email] = [m for m in mail.outbox if m.to == [booker.email]]
    assert email.subject == f"Not paid in time: booking {booking.reference} released"
    assert "Nothing was charged" in email.body


@pytest.mark.parametrize(
    ("preferences", "expected"),
    [({"service_may_be_named": False}, "discreet"), ({"email_is_safe": False}, "nothing")],
)
def test_a_lapsed_hold_respects_the_bookers_safe_contact_choices(
    settings, paid_session, preferences, expected, django_capture_on_commit_callbacks
):
    booker = UserFactory(plan=preferences)
    booking = _held_place(paid_session, booker)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        places.expire_lapsed(now=timezone.now() + timedelta(days=1))
    sent = [m for m in mail.outbox if m.to == [booker.email]]
    if expected == "nothing":
        assert sent == []
    else:
        [email] = sent
        assert email.subject == settings.DISCREET_SUBJECT
        assert "Paid course" not in email.body and booking.reference not in email.subject
