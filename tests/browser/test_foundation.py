import pytest

from tests.browser.fixtures import assert_no_axe_violations

# The tests share one seeded database and live server (tests/browser/fixtures.py).
pytestmark = pytest.mark.xdist_group("foundation")


@pytest.fixture
def server(shared_server):
    return shared_server


@pytest.fixture(scope="module")
def site(shared_database):
    from cms import demo

    demo.seed()


def test_the_home_page_has_no_axe_violations(page, site):
    page.goto("/")
    assert page.locator("h1").inner_text() == "Domestic abuse support"
    assert_no_axe_violations(page)


def assert_styled_by_govuk(page) -> None:
    """Every link, field and button on the page's main part is one of GOV.UK's."""
    unstyled = page.eval_on_selector_all(
        "main a:not(.govuk-link):not(.govuk-button):not(.govuk-error-summary__list a),"
        " main input:not([type=hidden])"
        ":not(.govuk-input):not(.govuk-radios__input):not(.govuk-checkboxes__input),"
        " main button:not(.govuk-button)",
        "nodes => nodes.map(n => n.outerHTML)",
    )
    assert unstyled == [], unstyled
    assert not page.console_errors, page.console_errors


def test_sign_in_and_sign_up_pages_have_no_axe_violations(page, site):
    for url in ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]:
        page.goto(url)
        assert_no_axe_violations(page)
        assert_styled_by_govuk(page)
    assert page.locator("h1").inner_text() == "Reset your password"
    # A sign-up without a name: the error summary leads to the field, what was typed stays.
    page.goto("/accounts/signup/")
    page.get_by_label("Email address").fill("new.person@example.com")
    page.get_by_role("button", name="Create an account").click()
    summary = page.locator(".govuk-error-summary")
    summary.get_by_role("link", name="Enter your first name").click()
    assert page.evaluate("document.activeElement.id") == "id_first_name"
    assert page.get_by_label("Email address").input_value() == "new.person@example.com"
    assert_no_axe_violations(page)
    assert_styled_by_govuk(page)


def test_exit_this_page_button_leaves_for_the_exit_site(page, site, settings):
    page.goto("/")
    page.get_by_role("button", name="Emergency Exit this page").click()
    page.wait_for_url(settings.EXIT_PAGE_URL)


def test_shift_pressed_three_times_leaves_and_back_does_not_return(page, site, settings):
    page.goto("/")
    page.locator("body").click()
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(settings.EXIT_PAGE_URL)
    # The exit replaced the page in history: Back does not show it again.
    page.go_back()
    assert page.url in {settings.EXIT_PAGE_URL, "about:blank"}


def test_the_footers_exit_link_leaves_like_the_button_and_back_does_not_return(
    page, site, settings
):
    page.goto("/")
    page.locator("footer").get_by_role("link", name="Exit this page").click()
    page.wait_for_url(settings.EXIT_PAGE_URL)
    page.go_back()
    assert page.url in {settings.EXIT_PAGE_URL, "about:blank"}


def test_the_exit_skip_link_is_the_first_thing_a_keyboard_reaches(page, site, settings):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Exit this page"
    page.keyboard.press("Enter")
    page.wait_for_url(settings.EXIT_PAGE_URL)


def test_signing_in_through_the_form_works_under_the_strict_headers(page, site):
    """A real browser sends `Origin: null` on posts under Referrer-Policy: no-referrer."""
    from tests.factories import PASSWORD, UserFactory

    UserFactory(email="reader@example.com")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("reader@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/profile/")
    assert page.locator("h1").inner_text() == "My account"
    assert_no_axe_violations(page)
    # The account pages a person reaches from there.
    for url, heading in [
        ("/accounts/name/", "Change your name"),
        ("/accounts/email/", "Your email addresses"),
        ("/accounts/password/change/", "Change your password"),
        ("/accounts/2fa/", "Two-step sign in"),
    ]:
        page.goto(url)
        assert page.locator("h1").inner_text() == heading
        assert_no_axe_violations(page)
        assert_styled_by_govuk(page)
