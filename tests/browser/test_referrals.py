"""Asking for support and a professional referral, in Chromium, with axe-core: a
self-referral that marks email unsafe gets its reference and no email; a police referral
with 14 "yes" answers is shown the MARAC and IDVA route."""

import pytest
from playwright.sync_api import expect

from portal.models import OutboxMessage
from referrals.models import Referral, Route
from tests.browser.fixtures import assert_no_axe_violations, sign_in_to_staff_area

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def fill_plan(page) -> None:
    """The shared safe-contact plan: phone calls only, nothing named, no voicemail."""
    page.check("#id_channels_3")  # phone calls
    page.fill("#id_phone", "07700 900982")
    for name in ("voicemail_allowed", "service_may_be_named", "location_in_calendar",
                 "interpreter_needed"):  # fmt: skip
        page.check(f"#id_{name}_2")  # "No"


def test_a_self_referral_with_email_unsafe(page):
    page.goto("/support/")
    assert_no_axe_violations(page)
    page.check("#id_for_whom_1")
    page.check("#id_help_wanted_1")
    page.fill("#id_name", "Sam Survivor")
    page.fill("#id_email", "sam@example.com")
    page.check("#id_locality_1")
    fill_plan(page)
    # A bad postcode first: the message sits by the field and nothing typed is lost.
    page.fill("#id_postcode", "NOPE")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a real postcode")
    expect(page.locator("#id_name")).to_have_value("Sam Survivor")
    expect(page.locator("#id_phone")).to_have_value("07700 900982")
    assert_no_axe_violations(page)
    page.fill("#id_postcode", "RV1 2AB")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("h1")).to_have_text("Request sent")
    referral = Referral.objects.get()
    expect(page.locator("#reference")).to_have_text(referral.reference)
    expect(page.locator("#no-email")).to_be_visible()
    assert referral.reference not in page.title()
    assert_no_axe_violations(page)
    assert not OutboxMessage.objects.filter(kind="referral_received").exists()


def test_a_police_referral_with_14_yes_shows_the_high_risk_route(page, settings):
    settings.REFERRALS_HIGH_RISK_PHONE = "01632 960 555"
    page.goto("/support/professional/")
    page.fill("#id_referrer_name", "PC Rae")
    page.fill("#id_referrer_role", "Constable")
    page.fill("#id_referrer_agency", "Riverside Police")
    page.fill("#id_referrer_email", "rae@police.example.gov.uk")
    page.fill("#id_referrer_phone", "0161 496 0000")
    page.check("#id_source_1")  # police report
    page.check("#id_police_risk_2")  # medium
    page.check("#id_consent_1")
    page.fill("#id_details", "Called to an incident at home")
    page.fill("#id_name", "Pat Person")
    page.check("#id_locality_2")
    fill_plan(page)
    page.check("#id_judgement_1")  # standard: it cannot lower the score's level
    page.locator("summary", has_text="DASH risk checklist").click()
    for number in range(1, 15):
        page.check(f"#id_dash_{number}_1")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Send the referral").click()
    route = page.locator("#high-risk-route")
    expect(route).to_contain_text("MARAC and IDVA route")
    expect(route).to_contain_text("01632 960 555")
    expect(route).to_contain_text("DASH score of 14 or more")
    assert_no_axe_violations(page)
    referral = Referral.objects.get()
    assert referral.route == Route.HIGH_RISK and referral.dash_score == 14


def test_a_coordinator_triages_and_offers_community_worker_support(page):
    from allauth.mfa.totp.internal.auth import TOTP

    from referrals.models import Status
    from tests.factories import PASSWORD, UserFactory
    from tests.referrals import factories
    from tests.staff import STAFF_TOTP_SECRET

    coordinator = UserFactory(roles=["Coordinator"], localities=["north"])
    TOTP.activate(coordinator, STAFF_TOTP_SECRET)
    worker = UserFactory(
        roles=["Community worker"], localities=["north"], first_name="Wren", last_name="Worker"
    )
    referral = factories.referral(plan={"email_is_safe": False})
    sign_in_to_staff_area(page, coordinator.email, PASSWORD, STAFF_TOTP_SECRET)
    page.goto("/admin/referrals/")
    page.get_by_role("link", name=referral.reference).click()
    expect(page.locator("#safe-contact-plan-title")).to_be_visible()
    expect(page.locator("#next-window")).to_have_text("Now is inside a safe window.")
    attempt = page.locator("#attempt-form")
    expect(attempt.get_by_label("Email")).to_have_count(0)  # not safe: not offered
    attempt.get_by_label("Phone call").check()
    attempt.get_by_label("No answer").check()
    attempt.get_by_role("button", name="Log the attempt").click()
    expect(page.locator("#status")).to_have_text("Trying to make contact")
    assert_no_axe_violations(page)
    decision = page.locator("#decision-form")
    decision.locator("input[name=outcome][value=community_worker]").check()
    decision.get_by_label("Community worker (for community worker support)").select_option(
        str(worker.pk)
    )
    decision.get_by_role("button", name="Record the outcome").click()
    expect(page.locator("#status")).to_contain_text("Community worker support: Wren Worker")
    referral.refresh_from_db()
    assert referral.status == Status.ALLOCATED and referral.attempts.count() == 1
