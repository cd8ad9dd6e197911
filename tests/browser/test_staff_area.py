"""The staff area works under the Content-Security-Policy. As the demo Coordinator and Editor,
every add and edit screen they use is opened, every chooser and "Add" control clicked (the
modal opens and a choice is made; the row appears; the date picker opens and sets the date),
and the form saved; any console error or CSP violation fails the test."""

from datetime import date

import pytest
from playwright.sync_api import expect

from portal.accounts.models import User
from portal.localities import StaffAssignment
from tests.browser.fixtures import assert_no_axe_violations, sign_in_to_staff_area
from tests.factories import SafeContactPlanFactory

# The tests share one seeded database and live server (tests/browser/fixtures.py).
pytestmark = pytest.mark.xdist_group("staff-area")


@pytest.fixture
def server(shared_server):
    return shared_server


@pytest.fixture(scope="module")
def demo(shared_database):
    """The demo people (each staff role with its authenticator), site and training offer."""
    from cms import demo as site
    from courses import demo as training
    from portal import demo as people

    people.seed()
    site.seed()
    training.seed()
    return people


def sign_in(page, demo, role: str) -> None:
    [email] = [email for email, *_, name in demo.DEMO_STAFF if name == role]
    sign_in_to_staff_area(page, email, demo.DEMO_PASSWORD, demo.DEMO_TOTP_SECRET)


def open_screen(page, url: str) -> None:
    page.goto(url)
    expect(page.locator("main")).to_be_visible()
    assert_quiet(page)


def assert_quiet(page) -> None:
    """Nothing was blocked and no script failed on the screen so far."""
    assert not page.csp_violations, page.csp_violations
    assert not page.console_errors, page.console_errors


def choose(page, button: str, choice: str) -> None:
    """Open a chooser modal and pick `choice` from it."""
    page.get_by_role("button", name=button).last.click()
    pick_in_modal(page, choice)


def choose_another(page, field: str, choice: str) -> None:
    """Change a chooser's choice, from its "Actions" menu."""
    page.locator(f"button[aria-label=Actions][aria-describedby='{field}-title']").click()
    page.locator(f"button[data-chooser-action-choose][aria-describedby='{field}-title']").click()
    pick_in_modal(page, choice)


def pick_in_modal(page, choice: str) -> None:
    modal = page.locator(".modal-content")
    link = modal.get_by_role("link", name=choice, exact=True).first
    expect(link).to_be_visible(timeout=30_000)  # the chooser's listing loads after the modal
    link.click()
    expect(modal).to_be_hidden()


def pick_date(page, field: str, months_ahead: int = 1) -> str:
    """Open the field's date picker, pick the 15th of a later month; return what it wrote."""
    close_date_pickers(page)  # typing in a date field opens its picker again: one at a time
    page.locator(field).click()
    picker = page.locator(".xdsoft_datetimepicker:visible")
    for _ in range(months_ahead):
        picker.locator(".xdsoft_next").first.click()
    picker.locator("td.xdsoft_date:not(.xdsoft_other_month)[data-date='15']").click()
    close_date_pickers(page)
    value = page.input_value(field)
    assert value, f"the date picker of {field} wrote nothing"
    return value[:10]


def close_date_pickers(page) -> None:
    """A click elsewhere closes a picker; a picker that typing opened may show only after
    the first click, so click again until none is left."""
    open_pickers = page.locator(".xdsoft_datetimepicker:visible")
    for _ in range(25):
        page.locator("body").dispatch_event("mousedown")
        page.wait_for_timeout(200)
        if open_pickers.count() == 0:
            return
    expect(open_pickers).to_have_count(0)


def save(page, button: str, message: str) -> None:
    if button == "Publish":  # in the "More actions" menu of the save button
        page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.locator(".messages")).to_contain_text(message)
    assert_quiet(page)


def test_a_coordinator_adds_and_edits_a_course_session(page, demo):
    from courses.models import Session

    sign_in(page, demo, "Coordinator")
    open_screen(page, "/admin/course_sessions/new/")
    choose(page, "Choose a page", "Understanding coercive control")
    starts = pick_date(page, "#id_starts_at")
    page.fill("#id_starts_at", f"{starts} 10:00")
    page.fill("#id_ends_at", f"{starts} 13:00")
    page.fill("#id_venue", "Riverside Civic Centre")
    page.select_option("#id_locality", label="Central")
    page.fill("#id_capacity", "12")
    closes = pick_date(page, "#id_booking_closes_at")
    assert closes == starts
    page.fill("#id_booking_closes_at", f"{closes} 09:00")
    assert_quiet(page)
    save(page, "Create", "created")
    session = Session.objects.get(venue="Riverside Civic Centre")
    assert session.course.title == "Understanding coercive control"
    assert session.starts_at.date() == date.fromisoformat(starts)
    assert session.locality.slug == "central"

    open_screen(page, f"/admin/course_sessions/edit/{session.pk}/")
    choose_another(page, "id_course", "Operation Encompass for schools")
    save(page, "Save", "updated")
    session.refresh_from_db()
    assert session.course.title == "Operation Encompass for schools"

    book_for_a_caller_and_find_it(page, session)

    plan = SafeContactPlanFactory(phone_call_is_safe=True, safe_windows=[["09:00", "12:00"]])
    # A plan is the coordinator's to see when assigned to them (as when they record it).
    StaffAssignment.objects.create(
        user=User.objects.get(email="coordinator@council.example.gov.uk"), target=plan
    )
    for url in [
        "/admin/safe_contact_plans/",
        "/admin/safe_contact_plans/new/",
        f"/admin/safe_contact_plans/inspect/{plan.pk}/",
        f"/admin/safe_contact_plans/edit/{plan.pk}/",
        "/admin/course_sessions/",
        f"/admin/course-sessions/{session.pk}/people/",
        "/admin/registers/",
        "/admin/organisations/",
        "/admin/organisations/new/",
        "/admin/snippets/courses/topic/add/",
        "/admin/settings/courses/cancellationpolicy/",
        "/admin/course-invoices/",
        "/admin/payments/payment/",
        "/admin/service-reports/",
    ]:
        open_screen(page, url)


def book_for_a_caller_and_find_it(page, session) -> None:
    """The coordinator takes a booking by phone from the session's people, then finds it
    again by the reference the caller reads out."""
    from courses.models import Booking

    open_screen(page, f"/admin/course-sessions/{session.pk}/people/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Book for a caller").click()
    expect(page.get_by_role("heading", name="Book for a caller")).to_be_visible()
    page.get_by_role("button", name="Book the places").click()  # nothing filled in yet
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert_quiet(page)  # the form's 400 answer is expected (tests/browser/fixtures.py)
    assert_no_axe_violations(page)
    page.get_by_label("Caller's full name").fill("Priya Caller")
    page.get_by_label("Caller's email address").fill("priya@partner.example.org")
    page.get_by_label("Caller's phone number (optional)").fill("07700 900456")
    page.get_by_label("Partner agency: Free").check()
    page.get_by_label("None: the price is free").check()
    # Priya told the service how to reach her before: her plan comes first, then the booking.
    SafeContactPlanFactory(name="Priya Caller", email="priya@partner.example.org")
    page.get_by_role("button", name="Book the places").click()
    plan = page.get_by_role("heading", name="Safe-contact plan of Priya Caller (the caller)")
    expect(plan).to_be_visible()
    assert_quiet(page)
    assert_no_axe_violations(page)
    page.get_by_role("button", name="I have read the plans: book the places").click()
    expect(page.locator(".messages")).to_contain_text("confirmed")
    # Her plan is shown on the booking too, now that she has an account.
    expect(page.get_by_text("Safe-contact plan of Priya Caller (booked")).to_be_visible()
    booking = Booking.objects.get(session=session)
    assert booking.booked_by_staff.email == "coordinator@council.example.gov.uk"
    expect(page.locator("#booked-by-staff")).to_be_visible()
    assert_quiet(page)
    assert_no_axe_violations(page)

    open_screen(page, "/admin/course-bookings/")
    assert_no_axe_violations(page)
    page.get_by_label("Booking reference").fill(booking.reference.lower())
    page.get_by_role("button", name="Find the booking").click()
    page.wait_for_url(f"**/admin/course-bookings/{booking.reference}/")
    expect(page.get_by_text("Priya Caller").first).to_be_visible()
    assert_quiet(page)


def test_an_editor_adds_a_drop_in_with_a_cancelled_date_and_edits_pages(page, demo):
    from cms.models import DropIn, HelplineSettings, PrivacyNoticePage

    sign_in(page, demo, "Editor")
    open_screen(page, "/admin/snippets/cms/dropin/add/")
    page.fill("#id_name", "Thursday walk and talk")
    choose(page, "Choose locality", "South")
    page.fill("#id_venue_name", "Southbank Library")
    page.fill("#id_address", "2 Quay Street\nRiverside")
    page.fill("#id_postcode", "RV7 4CD")
    first = date.fromisoformat(pick_date(page, "#id_starts_on"))
    page.select_option("#id_weekday", str(first.weekday()))
    page.locator("#id_start_time").click()
    expect(page.locator(".xdsoft_datetimepicker:visible .xdsoft_timepicker")).to_be_visible()
    page.keyboard.press("Escape")
    page.fill("#id_start_time", "10:00")
    page.fill("#id_end_time", "12:00")
    page.get_by_role("button", name="Add Cancelled date").click()
    expect(page.locator("#id_cancellations-0-date")).to_be_visible()
    pick_date(page, "#id_cancellations-0-date")
    page.fill("#id_cancellations-0-reason", "Library closed")
    page.fill("#id_who_for", "Open to all")
    save(page, "Publish", "published")
    drop_in = DropIn.objects.get(name="Thursday walk and talk")
    assert drop_in.locality.name == "South"
    assert [c.reason for c in drop_in.cancellations.all()] == ["Library closed"]

    open_screen(page, f"/admin/snippets/cms/dropin/edit/{drop_in.pk}/")
    choose_another(page, "id_locality", "North")
    page.get_by_role("button", name="Add Cancelled date").click()
    pick_date(page, "#id_cancellations-1-date", months_ahead=2)
    save(page, "Publish", "updated")
    drop_in.refresh_from_db()
    assert drop_in.locality.name == "North" and drop_in.cancellations.count() == 2

    open_screen(page, "/admin/settings/cms/helplinesettings/")
    page.get_by_role("button", name="Add Closure").click()
    closed = pick_date(page, "#id_closures-0-date")
    page.fill("#id_closures-0-reason", "Staff training")
    save(page, "Save", "updated")
    assert str(HelplineSettings.objects.get().closures.get().date) == closed

    privacy = PrivacyNoticePage.objects.get()
    open_screen(page, f"/admin/pages/{privacy.pk}/edit/")
    reviewed = pick_date(page, "#id_last_reviewed")
    page.locator("button.c-sf-add-button").last.click()
    page.get_by_role("option", name="Related links").click()
    choose(page, "Choose a page", "Domestic abuse support")
    assert_quiet(page)
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("has been updated")
    assert_quiet(page)
    draft = PrivacyNoticePage.objects.get().get_latest_revision_as_object()
    assert str(draft.last_reviewed) == reviewed
    assert draft.body[-1].block_type == "related_links"

    for url in [
        "/admin/pages/",
        f"/admin/pages/{privacy.get_parent().pk}/",
        "/admin/snippets/cms/dropin/",
        "/admin/snippets/portal/locality/add/",
        "/admin/snippets/cms/topic/add/",
        "/admin/snippets/cms/audience/add/",
        "/admin/reports/site-history/",
    ]:
        open_screen(page, url)
