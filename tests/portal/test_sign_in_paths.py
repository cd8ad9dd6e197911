"""No way in to the staff area, or to the second factor's own settings, with a password alone."""

import pytest
from allauth.account.views import LoginView as AllauthLoginView
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.views import LoginView as DjangoLoginView
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.models import Page, PageViewRestriction

from tests.factories import PASSWORD, UserFactory
from tests.staff import STAFF_TOTP_SECRET, current_code, sign_in_to_staff_area

pytestmark = pytest.mark.django_db


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def sign_in_forms() -> list[str]:
    """The path of every sign-in form in the URL configuration (Django's login view and
    what derives from it, Wagtail's admin and front-end ones included, and allauth's)."""
    found = []
    for route, pattern in _walk(get_resolver().url_patterns):
        view_class = getattr(pattern.callback, "view_class", None)
        if isinstance(view_class, type) and issubclass(
            view_class, (DjangoLoginView, AllauthLoginView)
        ):
            found.append("/" + route)
    return found


@pytest.fixture
def staff_member():
    user = UserFactory(email="coordinator@example.com", roles=["Coordinator"])
    TOTP.activate(user, STAFF_TOTP_SECRET)
    return user


def test_the_sign_in_forms_found_include_wagtails_and_allauths():
    forms = sign_in_forms()
    assert {"/admin/login/", "/_util/login/", "/accounts/login/"} <= set(forms)


def test_no_sign_in_form_the_site_serves_opens_the_staff_area_without_a_second_factor(
    staff_member,
):
    for path in sign_in_forms():
        client = Client()
        client.get(path)  # the form (or where it leads), for its CSRF cookie
        client.post(
            path,
            {"login": staff_member.email, "username": staff_member.email, "password": PASSWORD},
        )
        response = client.get("/admin/")
        assert response.status_code == 302, f"{path} opened the staff area"
        assert response["Location"].startswith(("/accounts/login/", "/accounts/2fa/")), path
        if "_auth_user_id" in client.session:
            # Signed in by a form that skipped the code: the staff area still wants one.
            assert response["Location"].startswith("/accounts/2fa/reauthenticate/"), path


def test_wagtails_front_end_sign_in_leads_to_ours(client, staff_member):
    response = client.post(
        "/_util/login/?next=/members/", {"username": staff_member.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/members/"
    assert "_auth_user_id" not in client.session


def test_login_protected_pages_lead_to_our_sign_in(client, home_page):
    PageViewRestriction.objects.create(page=home_page, restriction_type="login")
    response = client.get(home_page.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_a_password_protected_page_signs_nobody_in(client, home_page, staff_member):
    """Wagtail's page-password form takes a shared page password, not an account's."""
    restriction = PageViewRestriction.objects.create(
        page=home_page, restriction_type="password", password=PASSWORD
    )
    page = Page.objects.get(pk=home_page.pk)
    client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/",
        {"password": PASSWORD, "return_url": page.url},
    )
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_a_code_from_an_earlier_sign_in_in_the_session_does_not_open_the_staff_area(
    client, staff_member
):
    sign_in_to_staff_area(client, staff_member)
    assert client.get("/admin/").status_code == 200
    client.force_login(staff_member)  # signed in again, by password alone, in the same session
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/")


def test_a_code_given_after_signing_in_opens_the_staff_area(client, staff_member):
    client.force_login(staff_member)
    response = client.post("/accounts/2fa/reauthenticate/", {"code": current_code()})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


# The authenticator's own settings: for an account that has one, only a code opens them.
SECOND_FACTOR_PAGES = [
    "/accounts/2fa/recovery-codes/",
    "/accounts/2fa/recovery-codes/download/",
    "/accounts/2fa/recovery-codes/generate/",
    "/accounts/2fa/totp/deactivate/",
    "/accounts/2fa/totp/activate/",
]


def _password_reauthenticated(client, user):
    """Signed in, then re-authenticated with the password as allauth would allow."""
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": current_code()})
    return client.post("/accounts/reauthenticate/", {"password": PASSWORD})


def test_the_password_does_not_re_authenticate_an_account_with_an_authenticator(
    client, staff_member
):
    response = _password_reauthenticated(client, staff_member)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/")
    response = client.get("/accounts/reauthenticate/?next=/accounts/2fa/recovery-codes/")
    assert response["Location"] == (
        "/accounts/2fa/reauthenticate/?next=/accounts/2fa/recovery-codes/"
    )


@pytest.mark.parametrize("path", SECOND_FACTOR_PAGES)
def test_recovery_codes_and_authenticator_changes_need_a_code_not_the_password(
    client, staff_member, path
):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    RecoveryCodes.activate(staff_member)
    _password_reauthenticated(client, staff_member)
    for response in (client.get(path), client.post(path, {})):
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/2fa/reauthenticate/"), path
    assert Authenticator.objects.filter(user=staff_member, type="totp").exists()


def test_a_code_given_again_opens_the_recovery_codes(client, staff_member):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    codes = RecoveryCodes.activate(staff_member).generate_codes()
    client.force_login(staff_member)
    response = client.get("/accounts/2fa/recovery-codes/")
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/")
    response = client.post(response["Location"], {"code": current_code()})
    assert response.status_code == 302
    response = client.get("/accounts/2fa/recovery-codes/")
    assert response.status_code == 200
    assert codes[0] in response.content.decode()


def test_a_password_re_authentication_from_before_the_authenticator_does_not_show_its_codes(
    client,
):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user = UserFactory(roles=["Editor"])
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})  # no authenticator yet
    TOTP.activate(user, STAFF_TOTP_SECRET)
    RecoveryCodes.activate(user)
    response = client.get("/accounts/2fa/recovery-codes/download/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/")
