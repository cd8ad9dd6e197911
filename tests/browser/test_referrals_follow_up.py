"""After the front door, in Chromium with axe-core: a referrer's "Referrals you made" and
one referral's page; a coordinator's staff forms sent with errors (the error summary's
links large enough to tap, WCAG 2.5.8), closing a worker's case, and the subject access
and erasure page. No console errors, no CSP violations (the `page` fixture checks those)."""

import pytest
from playwright.sync_api import expect

from referrals import services
from referrals.models import Kind, Outcome, Source, Status
from tests.browser.fixtures import assert_no_axe_violations, sign_in_to_staff_area

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def assert_clean(page) -> None:
    assert_no_axe_violations(page)
    # A form sent with errors is answered 400 on purpose: the `page` fixture expects that.
    assert not page.console_errors, page.console_errors


def test_a_referrer_follows_the_referrals_they_made(page):
    from tests.factories import PASSWORD, UserFactory
    from tests.referrals import factories

    referrer = UserFactory(email="rae@police.example.gov.uk")
    referral = factories.referral(
        name="Pat Person",
        kind=Kind.PROFESSIONAL,
        source=Source.POLICE,
        details={"referred_by": referrer, "details": "Called to an incident"},
    )
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(referrer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/accounts/profile/")
    table = page.locator("#referrals-made")
    expect(table).to_contain_text(referral.reference)
    expect(table).to_contain_text("Received")
    expect(page.locator("body")).not_to_contain_text("Pat Person")
    assert_clean(page)
    table.get_by_role("link", name=referral.reference).click()
    expect(page.locator("h1")).to_have_text(f"Referral {referral.reference}")
    expect(page.locator("#referrer-status")).to_have_text("Received")
    expect(page.locator("body")).not_to_contain_text("Called to an incident")
    assert referral.reference not in page.title()
    assert_clean(page)


def test_a_coordinator_sends_staff_forms_with_errors_closes_a_case_and_opens_subject_access(
    page,
):
    from allauth.mfa.totp.internal.auth import TOTP

    from tests.factories import PASSWORD, UserFactory
    from tests.referrals import factories
    from tests.staff import STAFF_TOTP_SECRET

    coordinator = UserFactory(roles=["Coordinator"], localities=["north"])
    TOTP.activate(coordinator, STAFF_TOTP_SECRET)
    worker = UserFactory(roles=["Community worker"], localities=["north"])
    referral = factories.referral(name="Cass Case")
    services.decide(referral, by=coordinator, outcome=Outcome.COMMUNITY_WORKER, worker=worker)
    sign_in_to_staff_area(page, coordinator.email, PASSWORD, STAFF_TOTP_SECRET)
    page.goto(f"/admin/referrals/{referral.pk}/")

    close = page.locator("#close-form")
    page.fill("#id_closure_note", "Typed before the error")
    close.get_by_role("button", name="Close the case").click()
    summary = page.locator("#close-form [role=alert]")
    expect(summary).to_contain_text("Choose why the case is closing")
    expect(page.locator("#id_closure_note")).to_have_value("Typed before the error")
    assert_clean(page)  # target-size included: the summary's links are 24 px high
    summary.get_by_role("link", name="Choose why the case is closing").click()
    page.locator("#close-form").get_by_label("Support completed").check()
    page.locator("#close-form").get_by_role("button", name="Close the case").click()
    expect(page.locator("#status")).to_contain_text("Closed")
    expect(page.locator("#closure")).to_contain_text("Support completed")
    expect(page.locator("#close-form")).to_have_count(0)
    assert_clean(page)
    referral.refresh_from_db()
    assert referral.status == Status.CLOSED

    page.locator("#subject-request").click()
    expect(page.locator("#subject-request-form")).to_be_visible()
    assert_clean(page)
    page.get_by_role("button", name="Erase the ticked referrals").click()
    expect(page.locator("#subject-request-form [role=alert]")).to_contain_text(
        "Confirm you have checked, to erase"
    )
    assert_clean(page)
    referral.refresh_from_db()
    assert referral.plan.name == "Cass Case", "nothing erased without the confirmation"
