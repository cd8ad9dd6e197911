"""A commissioner reads a report with suppressed figures: the staff area's report pages pass
axe and log no console error or CSP violation."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.fixtures import assert_no_axe_violations, sign_in_to_staff_area

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def commissioner_and_a_register(transactional_db):
    """Twenty people marked at one session: 15 present, 2 late, 3 absent."""
    from allauth.mfa.totp.internal.auth import TOTP
    from wagtail.models import Page

    from portal.attendance import services
    from tests.attendance import factories
    from tests.factories import UserFactory
    from tests.staff import STAFF_TOTP_SECRET

    commissioner = UserFactory(email="commissioner@example.gov.uk", roles=["Commissioner"])
    TOTP.activate(commissioner, STAFF_TOTP_SECRET)
    trainer = UserFactory(roles=["Trainer"])
    root = Page.get_first_root_node().add_child(instance=Page(title="Home", slug="home-test"))
    session = factories.session(
        factories.course(root), trainers=[trainer], starts_in=timedelta(days=-2)
    )
    people = [(f"Person {i}", f"person{i}@example.org", None) for i in range(20)]
    attendees = factories.booking(session, UserFactory(), people=people).attendees.order_by("pk")
    marks = ["present"] * 15 + ["late"] * 2 + ["absent"] * 3
    services.take_register(
        session, {a.pk: mark for a, mark in zip(attendees, marks, strict=True)}, by=trainer
    )
    return commissioner


def test_a_commissioner_reads_a_report_with_suppressed_figures(page, commissioner_and_a_register):
    from tests.factories import PASSWORD
    from tests.staff import STAFF_TOTP_SECRET

    sign_in_to_staff_area(page, commissioner_and_a_register.email, PASSWORD, STAFF_TOTP_SECRET)
    page.goto("/admin/service-reports/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Attendance and no-shows by session").click()
    table = page.locator("table.listing")
    expect(table).to_contain_text("fewer than 5")
    expect(table).to_contain_text("hidden")
    expect(page.get_by_text("a count from 1 to 4 shows as “fewer than 5”")).to_be_visible()
    assert_no_axe_violations(page)
