"""The public forms: ask for support, and a professional referral. No account; nothing kept
in the browser; bad input answered next to its field with everything typed shown again."""

import re
from html import unescape

import pytest
from django.core import mail

from portal.models import OutboxMessage
from referrals import dash
from referrals.models import Referral, Route, Source

pytestmark = pytest.mark.django_db
ASK = "/support/"
PROFESSIONAL = "/support/professional/"

PLAN = {
    "channels": ["phone_call"],
    "phone": "07700 900982",
    "voicemail_allowed": "no",
    "service_may_be_named": "no",
    "location_in_calendar": "no",
    "interpreter_needed": "no",
}
ASKING = {
    **PLAN,
    "for_whom": "me",
    "help_wanted": "local",
    "name": "Sam Survivor",
    "email": "sam@example.com",
    "locality": "north",
}
REFERRING = {
    **PLAN,
    "referrer_name": "PC Rae",
    "referrer_role": "Constable",
    "referrer_agency": "Riverside Police",
    "referrer_email": "rae@police.example.gov.uk",
    "referrer_phone": "0161 496 0000",
    "source": Source.POLICE,
    "police_risk": dash.MEDIUM,
    "consent": "given",
    "details": "Called to an incident",
    "name": "Pat Person",
    "locality": "south",
    "judgement": dash.STANDARD,
}


def errors_of(response) -> str:
    """The messages next to the fields (GOV.UK error messages), as text."""
    pattern = r'class="govuk-error-message"[^>]*>\s*<span[^>]*>Error:</span>(.*?)</'
    found = re.findall(pattern, response.content.decode(), re.S)
    return unescape(" ".join(" ".join(f.split()) for f in found))


@pytest.mark.parametrize("url", [ASK, PROFESSIONAL])
def test_the_forms_are_not_stored_and_autocomplete_nothing(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Exit this page" in html
    assert re.search(r'<form method="post" novalidate autocomplete="off">', html)
    # Everything typed (not the radios and checkboxes) has autocomplete off.
    inputs = re.findall(r"<(?:input|textarea)\b[^>]*>", html)
    typed = [i for i in inputs if not re.search(r'type="(hidden|radio|checkbox)"', i)]
    assert len(typed) > 10 and all('autocomplete="off"' in i for i in typed)
    assert "localStorage" not in html


def test_asking_for_support_gives_a_reference_and_what_happens_next(client):
    response = client.post(ASK, ASKING)
    assert response.status_code == 200
    referral = Referral.objects.get()
    html = response.content.decode()
    assert referral.reference in html and "What happens next" in html
    assert "no-store" in response["Cache-Control"]
    # The page title carries no referral data.
    title = re.search(r"<title>(.*?)</title>", html, re.S)[1]
    assert referral.reference not in title and "Sam" not in title
    assert referral.plan.phone == "07700 900982" and not referral.plan.service_may_be_named


def test_email_marked_unsafe_sends_no_email(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ASK, ASKING)
    assert 'id="no-email"' in response.content.decode()
    assert not OutboxMessage.objects.filter(kind="referral_received").exists()
    assert all(m.to != ["sam@example.com"] for m in mail.outbox)


def test_email_safe_without_an_address_is_refused_next_to_the_field(client):
    response = client.post(ASK, {**ASKING, "email": "", "channels": ["email"]})
    assert response.status_code == 400
    assert "Enter an email address, or unselect email as safe" in errors_of(response)
    assert not Referral.objects.exists()


def test_the_locality_comes_from_the_postcode_when_not_chosen(client):
    client.post(ASK, {**ASKING, "locality": "not_sure", "postcode": "rv7 1ab"})
    referral = Referral.objects.get()
    assert referral.locality.slug == "south" and referral.postcode == "RV7 1AB"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("postcode", "NOT A CODE", "Enter a real postcode"),
        ("phone", "12345", "Enter a UK phone number"),
        ("phone", "0770090098x", "Enter a UK phone number"),
        ("details", "x" * 5000, "Keep this to 2000 characters or fewer"),
        ("date_of_birth", "31/02/1990", "Enter the date of birth"),
    ],
)
def test_bad_input_is_answered_next_to_the_field_and_nothing_is_lost(client, field, value, message):
    response = client.post(ASK, {**ASKING, field: value, "access_needs": "Step-free access"})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in errors_of(response)
    assert 'class="govuk-error-summary"' in html and f'href="#id_{field}"' in html
    # What was typed is shown again, from the request.
    assert "Sam Survivor" in html and "Step-free access" in html and "07700" in html
    assert not Referral.objects.exists()


def test_the_error_summary_links_to_each_field(client):
    html = client.post(ASK, {"name": ""}).content.decode()
    links = re.findall(r"govuk-error-summary__list.*?</ul>", html, re.S)[0]
    targets = re.findall(r'href="#([^"]+)"', links)
    assert {"id_for_whom_1", "id_name", "id_locality_1", "id_channels_1"} <= set(targets)
    assert all(f'id="{target}"' in html for target in targets)


def test_someone_asking_for_another_person_gives_their_name(client):
    response = client.post(ASK, {**ASKING, "for_whom": "someone_else"})
    assert "Enter your name, so we know who asked" in errors_of(response)
    client.post(ASK, {**ASKING, "for_whom": "someone_else", "helper_name": "A Friend"})
    assert Referral.objects.get().source == Source.FRIEND_FAMILY


def test_a_professional_referral_without_consent_needs_a_lawful_basis(client):
    response = client.post(PROFESSIONAL, {**REFERRING, "consent": "not_given"})
    assert response.status_code == 400
    assert "the lawful basis" in errors_of(response)
    assert "Called to an incident" in response.content.decode()
    response = client.post(
        PROFESSIONAL, {**REFERRING, "consent": "not_given", "lawful_basis": "Safeguarding"}
    )
    referral = Referral.objects.get()
    assert referral.senior_review_pending and 'id="senior-review"' in response.content.decode()


def test_a_police_referral_needs_its_risk_level_and_a_school_one_its_school(client):
    response = client.post(PROFESSIONAL, {**REFERRING, "police_risk": ""})
    assert "Select the police risk level" in errors_of(response)
    response = client.post(PROFESSIONAL, {**REFERRING, "source": Source.SCHOOL})
    assert "Enter the child's school" in errors_of(response)
    assert "It is not consent to contact the parent" in response.content.decode()


def test_a_police_referral_with_13_yes_is_for_the_community_route(client):
    answers = {f"dash_{n}": dash.YES for n in range(1, 14)}
    response = client.post(PROFESSIONAL, {**REFERRING, **answers})
    referral = Referral.objects.get()
    assert referral.route == Route.COMMUNITY and referral.risk_level == dash.MEDIUM
    assert 'id="high-risk-route"' not in response.content.decode()


def test_a_police_referral_with_14_yes_shows_the_high_risk_route(client, settings):
    settings.REFERRALS_HIGH_RISK_PHONE = "01632 960 999"
    answers = {f"dash_{n}": dash.YES for n in range(1, 15)}
    response = client.post(PROFESSIONAL, {**REFERRING, **answers})
    assert response.status_code == 200
    html = response.content.decode()
    referral = Referral.objects.get()
    assert referral.route == Route.HIGH_RISK and referral.dash_score == 14
    assert 'id="high-risk-route"' in html and "01632 960 999" in html
    assert "DASH score of 14 or more" in html


def test_a_high_judgement_cannot_be_lowered_below_the_score(client):
    answers = {f"dash_{n}": dash.YES for n in range(1, 16)}
    client.post(PROFESSIONAL, {**REFERRING, **answers, "judgement": dash.STANDARD})
    assert Referral.objects.get().high_risk


def test_a_malformed_referrer_phone_is_refused(client):
    response = client.post(PROFESSIONAL, {**REFERRING, "referrer_phone": "call me"})
    assert "Enter a UK phone number" in errors_of(response)
    assert "PC Rae" in response.content.decode()
