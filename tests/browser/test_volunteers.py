"""The volunteer journey in Chromium, with axe-core on every kind of page: apply (save,
leave, resume, send) → the coordinator moves through screening and interview → both
referees answer by their links → the DBS outcome is recorded → active by override (the
training route is proven in tests/volunteers/test_pipeline.py)."""

import pytest
from playwright.sync_api import expect

from tests.browser.fixtures import assert_no_axe_violations, sign_in_to_staff_area
from tests.factories import PASSWORD, UserFactory
from tests.staff import STAFF_TOTP_SECRET

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def journey(home_page):
    from allauth.mfa.totp.internal.auth import TOTP

    from tests.volunteers import helpers

    roles = helpers.roles(home_page)
    coordinator = helpers.coordinator()
    TOTP.activate(coordinator, STAFF_TOTP_SECRET)
    applicant = UserFactory(email="val@example.com", first_name="Val", last_name="Unteer")
    return roles, coordinator, applicant


def test_apply_then_references_dbs_and_active(page, journey):
    from volunteers.models import Application, Stage

    roles, coordinator, applicant = journey
    page.goto("/")
    page.get_by_role("link", name="See the volunteer roles and apply").click()
    expect(page.locator("h1")).to_have_text("Volunteer with us")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Apply to volunteer").click()
    page.fill("input[name=login]", applicant.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").first.click()
    expect(page.locator("h1")).to_have_text("Apply to volunteer")

    page.get_by_label("Phone number").fill("07700 900123")
    page.get_by_label("Why would you like to volunteer with us?").fill("To help.")
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_text("Your answers are saved.")).to_be_visible()
    page.goto("/")
    page.goto("/accounts/profile/")
    page.get_by_role("link", name="Continue your application to volunteer").click()
    expect(page.get_by_label("Phone number")).to_have_value("07700 900123")

    page.get_by_role("button", name="Send application").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your postcode")
    assert_no_axe_violations(page)
    expect(page.get_by_label("Why would you like to volunteer with us?")).to_have_value("To help.")
    page.get_by_label("Postcode").fill("RV1 2AB")
    page.get_by_label("North").check()
    page.get_by_label("Monday morning").check()
    page.get_by_label("Drop-in support volunteer").check()
    for position, (name, email) in enumerate(
        [("Rita Referee", "rita@example.org"), ("Rob Referee", "rob@example.org")]
    ):
        page.locator(f"#id_referee_{position + 1}_name").fill(name)
        page.locator(f"#id_referee_{position + 1}_email").fill(email)
        page.locator(f"#id_referee_{position + 1}_relationship").fill("Former manager")
    page.get_by_label("I have read and agree to the volunteer policies").check()
    page.get_by_role("button", name="Send application").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Application sent")
    assert_no_axe_violations(page)
    application = Application.objects.get(user=applicant)
    page.context.clear_cookies()  # the applicant leaves; the coordinator signs in

    sign_in_to_staff_area(page, coordinator.email, PASSWORD, STAFF_TOTP_SECRET)
    page.goto("/admin/volunteer-applications/")
    page.get_by_role("link", name=application.reference).click()
    expect(page.locator("#application-stage")).to_contain_text("Applied")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Move on to: Screening call").click()
    page.get_by_role("button", name="Move on to: Interview").click()
    page.get_by_role("button", name="Move on to: References").click()
    expect(page.locator("#application-stage")).to_contain_text("References")
    # The referees have no account: the coordinator's session is set aside meanwhile (a
    # second sign-in within the same 30 seconds would reuse the authenticator's code).
    coordinator_session = page.context.cookies()
    page.context.clear_cookies()

    for reference in application.references.all():
        page.goto(f"/volunteer/reference/{reference.token}/")
        expect(page.locator("h1")).to_have_text("A reference for Val Unteer")
        assert_no_axe_violations(page)
        page.get_by_label("How long have you known them").fill("Five years, at work.")
        page.get_by_label("Yes").check()
        page.get_by_role("button", name="Send reference").click()
        expect(page.locator(".govuk-panel__title")).to_have_text("Reference sent")
    page.goto(f"/volunteer/reference/{reference.token}/")
    expect(page.locator("h1")).to_have_text("This reference link cannot be used")

    page.context.add_cookies(coordinator_session)
    page.goto(f"/admin/volunteer-applications/{application.pk}/")
    expect(page.locator("#application-stage")).to_contain_text("DBS check")
    page.get_by_label("Level").select_option("enhanced")
    page.get_by_label("Certificate number").fill("001234567890")
    page.get_by_label("Issue date").fill("2025-06-01")
    page.get_by_label("Outcome").select_option("clear")
    page.get_by_role("button", name="Record DBS check").click()
    expect(page.locator("#application-stage")).to_contain_text("Training")
    page.get_by_label("Why they may become active").fill("Trained with our partner service")
    page.get_by_role("button", name="Override: make active").click()
    expect(page.locator("#application-stage")).to_contain_text("Active")
    assert_no_axe_violations(page)
    application.refresh_from_db()
    assert application.stage == Stage.ACTIVE
    assert list(application.changes.values_list("to_stage", "automatic", "override")) == [
        ("applied", False, False),
        ("screening", False, False),
        ("interview", False, False),
        ("references", False, False),
        ("dbs", True, False),
        ("training", True, False),
        ("active", False, True),
    ]
