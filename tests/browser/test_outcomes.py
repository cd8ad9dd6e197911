"""The outcome questionnaire in a browser, for the test subject (tests/outcomes): the person
answers on their own page with the keyboard, on a phone, a question left out is named beside
it; a coordinator enters a paper form in the staff area. axe-core on every screen."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.fixtures import assert_no_axe_violations, sign_in_to_staff_area

pytestmark = [pytest.mark.xdist_group("outcomes"), pytest.mark.urls("tests.outcomes.urls")]


@pytest.fixture
def server(shared_server):
    return shared_server


@pytest.fixture(scope="module")
def seeded(shared_database):
    from allauth.mfa.totp.internal.auth import TOTP

    from portal.localities import Locality
    from tests.factories import UserFactory
    from tests.outcomes.subject_app.models import Circle
    from tests.staff import STAFF_TOTP_SECRET

    circle = Circle.objects.create(
        title="Tuesday group", locality=Locality.objects.get(slug="north")
    )
    person = UserFactory(email="ruth@example.org")
    member = circle.members.create(name="Ruth Member", user=person)
    paper = circle.members.create(name="Pat Paper")
    coordinator = UserFactory(email="coordinator@example.org", roles=["Coordinator"])
    TOTP.activate(coordinator, STAFF_TOTP_SECRET)
    return {"person": person, "member": member, "paper": paper, "coordinator": coordinator}


def _check(page):
    assert_no_axe_violations(page)
    assert not page.console_errors, page.console_errors


def test_the_person_answers_on_a_phone_with_the_keyboard(page, seeded):
    from portal.outcomes.models import Response
    from tests.factories import PASSWORD

    page.set_viewport_size({"width": 375, "height": 667})
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(seeded["person"].email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/accounts/profile/")

    page.goto(f"/test-members/{seeded['member'].pk}/questions/start/")
    expect(page.get_by_role("heading", level=1)).to_have_text("A few questions about how you are")
    _check(page)
    questions = page.get_by_role("group")
    expect(questions).to_have_count(9)
    # Every question but "I've been feeling relaxed", each answered from the keyboard.
    for index in range(9):
        if index == 2:
            continue
        questions.nth(index).get_by_role("radio").first.focus()
        page.keyboard.press("ArrowDown")  # the second answer
    page.get_by_role("button", name="Save my answers").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("been feeling relaxed")
    expect(page.get_by_role("group").nth(2)).to_contain_text("Choose an answer")
    expect(page.locator("input[type=radio]:checked")).to_have_count(8)
    _check(page)
    summary.get_by_role("link").click()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")  # back to the first answer, "None of the time"
    page.get_by_role("button", name="Save my answers").click()
    page.wait_for_url("**/accounts/profile/")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your answers are saved")
    answers = Response.objects.get(measure="swemwbs", subject_id=seeded["member"].pk)
    assert answers.answer_values == {f"item{n}": 2 for n in range(1, 8)} | {"item3": 1}


def test_a_coordinator_enters_a_paper_form(page, seeded):
    from portal.outcomes.models import EnteredBy, Response
    from tests.factories import PASSWORD
    from tests.staff import STAFF_TOTP_SECRET

    sign_in_to_staff_area(page, seeded["coordinator"].email, PASSWORD, STAFF_TOTP_SECRET)
    page.goto(f"/admin/test-members/{seeded['paper'].pk}/questions/start/")
    expect(page.locator("main")).to_contain_text("Pat Paper")
    _check(page)
    # The fourth answer of each: "Often", "Agree", "Good".
    for index in range(9):
        page.get_by_role("group").nth(index).get_by_role("radio").nth(3).check()
    page.get_by_role("button", name="Save answers").click()
    expect(page.locator(".messages")).to_contain_text("Answers saved")
    _check(page)
    rows = Response.objects.filter(subject_id=seeded["paper"].pk)
    assert {r.entered_by for r in rows} == {EnteredBy.STAFF}
    assert [r.score for r in rows.order_by("pk")] == [Decimal("25.03"), 4, 4]
