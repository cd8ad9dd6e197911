"""People have names: asked at sign-up, changed on My account, and used in what we send."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from portal import calendars
from portal.accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def sign_up(client, **fields):
    data = {"email": "sam@mail.test", "password1": PASSWORD, "password2": PASSWORD}
    return client.post("/accounts/signup/", {**data, **fields})


def test_sign_up_without_a_first_name_says_so_next_to_the_field_and_in_the_summary(client):
    response = sign_up(client, first_name="  ")
    assert response.status_code == 200
    assert response.context["form"].errors["first_name"] == ["Enter your first name"]
    html = response.text
    assert '<a href="#id_first_name">Enter your first name</a>' in html
    assert 'class="govuk-error-message"' in html and "govuk-input--error" in html
    # What was typed stays typed, under the same labels.
    assert 'value="sam@mail.test"' in html
    assert "Email address" in html and "Create a password" in html and "placeholder" not in html
    assert not User.objects.exists()


def test_sign_up_saves_the_name_and_a_last_name_is_only_for_those_who_have_one(client):
    assert sign_up(client, first_name="Sam", last_name="Okafor").status_code == 302
    assert User.objects.get().get_full_name() == "Sam Okafor"
    client.logout()
    assert sign_up(client, email="mononym@mail.test", first_name="Suharto").status_code == 302
    assert User.objects.get(email="mononym@mail.test").get_full_name() == "Suharto"


def test_the_verification_email_names_the_service_and_its_address(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SERVICE_NAME = "Riverside Support"
    settings.SITE_URL = "https://portal.riverside.test"
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, first_name="Sam", last_name="Okafor")
    [email] = mail.outbox
    assert email.subject == "Confirm your email address"
    assert email.body.startswith("Hello Sam Okafor,")
    assert "Riverside Support" in email.body
    assert "https://portal.riverside.test/accounts/confirm-email/" in email.body
    assert email.body.rstrip().endswith("Riverside Support\nhttps://portal.riverside.test")
    for wrong in ("example.com", "127.0.0.1", "testserver", "sam@mail.test"):
        assert wrong not in email.body


def test_a_discreet_account_email_does_not_name_the_service(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SERVICE_NAME = "Riverside Domestic Abuse Service"
    UserFactory(
        email="quiet@mail.test",
        plan={"service_may_be_named": False},
        first_name="Ann",
        last_name="",
    )
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, email="quiet@mail.test", first_name="Ann")
    [email] = mail.outbox
    assert email.body.startswith("Hello Ann,")
    assert "Riverside" not in email.body and "abuse" not in email.body.lower()


def test_my_account_shows_the_name_and_it_can_be_changed(client):
    user = UserFactory(first_name="Sam", last_name="Okafor")
    client.force_login(user)
    page = client.get(reverse("my_account")).text
    assert "Sam Okafor" in page and 'href="/accounts/name/"' in page
    form = client.get(reverse("account_name"))
    assert 'value="Sam"' in form.text and 'autocomplete="given-name"' in form.text
    response = client.post(reverse("account_name"), {"first_name": "Samira", "last_name": ""})
    assert response.url == reverse("my_account")
    user.refresh_from_db()
    assert user.get_full_name() == "Samira"


def test_an_empty_name_is_refused_next_to_the_field(client):
    user = UserFactory(first_name="Sam", last_name="Okafor")
    client.force_login(user)
    response = client.post(reverse("account_name"), {"first_name": "", "last_name": "Okafor"})
    assert response.status_code == 400
    assert '<a href="#id_first_name">Enter your first name</a>' in response.text
    assert response.text.count("Enter your first name") == 2
    assert 'value="Okafor"' in response.text
    response = client.post(reverse("account_name"), {"first_name": "x" * 151})
    assert "150 characters or fewer" in response.text
    user.refresh_from_db()
    assert user.get_full_name() == "Sam Okafor"


def test_after_adding_a_name_the_person_goes_back_where_they_were_and_never_off_site(client):
    user = UserFactory(first_name="", last_name="")
    client.force_login(user)
    page = client.get(reverse("my_account")).text
    assert "Add your name" in page and user.email in page
    response = client.post(
        reverse("account_name") + "?next=/training/sessions/1/book/", {"first_name": "Jo"}
    )
    assert response.url == "/training/sessions/1/book/"
    response = client.post(
        reverse("account_name"), {"first_name": "Jo", "next": "https://elsewhere.test/"}
    )
    assert response.url == reverse("my_account")


def test_the_staff_user_screens_accept_a_person_with_one_name():
    from portal.accounts.wagtail_hooks import OneNameCreationForm, OneNameEditForm

    user = UserFactory()
    form = OneNameEditForm(
        {"email": user.email, "first_name": "Suharto", "last_name": ""}, instance=user
    )
    assert "last_name" not in form.errors
    assert OneNameCreationForm().fields["last_name"].required is False


def test_an_invite_without_a_name_gives_no_name_rather_than_the_address():
    from datetime import UTC, datetime, timedelta

    start = datetime(2030, 1, 1, 10, tzinfo=UTC)
    event = calendars.CalendarEvent(
        uid="x@portal",
        sequence=0,
        start=start,
        end=start + timedelta(hours=1),
        title="Course",
        attendee_email="ann@mail.test",
    )
    ics = calendars.invite(event).decode().replace("\r\n ", "")
    [attendee] = [line for line in ics.splitlines() if line.startswith("ATTENDEE")]
    assert attendee.endswith("mailto:ann@mail.test") and "CN=" not in attendee


ALLAUTH_PAGES = {
    "/accounts/signup/": "Create an account",
    "/accounts/login/": "Sign in",
    "/accounts/password/reset/": "Reset your password",
    "/accounts/password/reset/done/": "Check your email",
    "/accounts/confirm-email/": "Confirm your email address",
    "/accounts/confirm-email/not-a-key/": "Confirm your email address",
    "/accounts/password/reset/key/1-set-password/": "This link has expired",
}


@pytest.mark.parametrize("url,heading", ALLAUTH_PAGES.items())
def test_allauth_pages_use_the_portals_words_and_styled_links(client, url, heading):
    response = client.get(url, follow=True)
    assert response.status_code == 200
    main = response.text.split('id="main-content"', 1)[1].split("</main>", 1)[0]
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in main
    assert not re.search(r"<a (?![^>]*class=)", main), "a link without GOV.UK's class"
    assert "placeholder=" not in main


def test_signed_in_account_pages_use_the_portals_words(client):
    client.force_login(UserFactory())
    for url, heading in {
        "/accounts/email/": "Your email addresses",
        "/accounts/password/change/": "Change your password",
        "/accounts/logout/": "Sign out",
        "/accounts/2fa/": "Two-step sign in",
    }.items():
        response = client.get(url)
        main = response.text.split('id="main-content"', 1)[1].split("</main>", 1)[0]
        assert f'<h1 class="govuk-heading-l">{heading}</h1>' in main, url
        assert not re.search(r"<a (?![^>]*class=)", main), url
        assert "govuk-input" in main or "govuk-button" in main, url
