"""Professionals' accounts: a referral made while signed in (a verified email) is listed
under "Referrals you made" with its reference, date and a coarse status, and nothing else;
anyone else's referral, or one made signed out, is not theirs to see."""

import pytest
from django.urls import reverse

from referrals import services
from referrals.models import Kind, Outcome, Referral, Source
from tests.factories import UserFactory
from tests.referrals import factories
from tests.referrals.test_public_forms import PROFESSIONAL, REFERRING

pytestmark = pytest.mark.django_db
MY_ACCOUNT = "/accounts/profile/"
SECRETS = ["Pat Person", "Called to an incident", "07700 900982", "Constable", "Riverside"]


def made_url(referral: Referral) -> str:
    return reverse("referrals:made", args=[referral.reference])


def refer(client) -> Referral:
    response = client.post(PROFESSIONAL, REFERRING)
    assert response.status_code == 200, response.content.decode()[:2000]
    return Referral.objects.latest("pk")


def test_a_signed_in_professional_sees_where_their_referral_stands_and_nothing_else(client):
    professional = UserFactory(first_name="Rae", last_name="Reed")
    client.force_login(professional)
    form = client.get(PROFESSIONAL).content.decode()
    assert 'id="signed-in-referrer"' in form and professional.email in form  # pre-filled
    referral = refer(client)
    assert referral.referred_by == professional

    page = client.get(MY_ACCOUNT).content.decode()
    assert "Referrals you made" in page and referral.reference in page and "Received" in page
    detail = client.get(made_url(referral))
    assert detail.status_code == 200 and "no-store" in detail["Cache-Control"]
    html = detail.content.decode()
    assert "Received" in html and referral.reference in html
    for secret in SECRETS:
        assert secret not in page and secret not in html

    coordinator = UserFactory(roles=["Coordinator"], localities=["south"])
    services.log_attempt(referral, by=coordinator, channel="phone_call", outcome="no_answer")
    assert "Being contacted" in client.get(made_url(referral)).content.decode()
    worker = UserFactory(roles=["Community worker"], localities=["south"])
    services.decide(referral, by=coordinator, outcome=Outcome.COMMUNITY_WORKER, worker=worker)
    html = client.get(made_url(referral)).content.decode()
    # Which service was offered stays the person's business.
    assert "Support offered" in html and "Community worker" not in html


def test_the_high_risk_route_is_not_told_to_the_referrer_after_submitting():
    professional = UserFactory()
    referral = factories.referral(
        "south", kind=Kind.PROFESSIONAL, source=Source.POLICE, details={"referred_by": professional}
    )
    coordinator = UserFactory(roles=["Coordinator"], localities=["south"])
    services.decide(referral, by=coordinator, outcome=Outcome.HIGH_RISK)
    referral.refresh_from_db()
    assert referral.referrer_status == "Support offered"


def test_an_unverified_account_is_not_linked(client):
    client.force_login(UserFactory(verified=False))
    assert refer(client).referred_by is None


def test_a_referral_made_signed_out_is_nobodys_and_cannot_be_claimed(client):
    referral = refer(client)
    assert referral.referred_by is None
    # Even the professional whose address was typed on the form does not see it.
    client.force_login(UserFactory(email=REFERRING["referrer_email"]))
    assert "Referrals you made" not in client.get(MY_ACCOUNT).content.decode()
    assert client.get(made_url(referral)).status_code == 404


def test_another_referrer_the_person_and_anonymous_get_nothing(client):
    referrer = UserFactory()
    client.force_login(referrer)
    referral = refer(client)
    missing = client.get(reverse("referrals:made", args=["SNOSUCH2"]))
    assert missing.status_code == 404

    client.force_login(UserFactory())  # another referrer
    other = client.get(made_url(referral))
    assert other.status_code == 404
    assert other.content == missing.content  # reveals nothing
    assert "Referrals you made" not in client.get(MY_ACCOUNT).content.decode()

    # The person it is about, with an account on the address given for them.
    person = UserFactory(email="pat@example.com")
    referral.plan.email = "pat@example.com"
    referral.plan.save()
    client.force_login(person)
    assert client.get(made_url(referral)).status_code == 404
    assert "Referrals you made" not in client.get(MY_ACCOUNT).content.decode()

    client.logout()
    anonymous = client.get(made_url(referral))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
