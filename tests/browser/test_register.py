"""A trainer takes the register on a phone, with the keyboard, after signing in with a code."""

import pytest

from tests.browser.fixtures import assert_no_axe_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def register_session(transactional_db):
    from allauth.mfa.totp.internal.auth import TOTP
    from wagtail.models import Page

    from tests.attendance import factories
    from tests.factories import UserFactory
    from tests.staff import STAFF_TOTP_SECRET as TOTP_SECRET

    trainer = UserFactory(email="trainer@example.org", roles=["Trainer"])
    TOTP.activate(trainer, TOTP_SECRET)
    root = Page.get_first_root_node().add_child(instance=Page(title="Home", slug="home-test"))
    session = factories.session(factories.course(root), trainers=[trainer])
    people = [
        ("Asha Patel", "asha@example.org", None),
        ("Ben Okafor", "ben@example.org", None),
        ("Cara Jones", "cara@example.org", None),
    ]
    factories.booking(session, UserFactory(), people=people)
    return trainer, session


def test_a_trainer_takes_the_register_on_a_phone_with_the_keyboard(page, register_session):
    from portal.attendance import services
    from tests.factories import PASSWORD
    from tests.staff import current_code as _code

    trainer, session = register_session
    page.set_viewport_size({"width": 375, "height": 667})
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(trainer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/2fa/authenticate/")
    page.get_by_label("Code").fill(_code())
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/profile/")

    page.goto("/admin/registers/")
    page.get_by_role("link", name="DA awareness level 1").click()
    page.wait_for_url(f"**/admin/registers/courses.session/{session.pk}/")
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Mark all present").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("group", name="Ben Okafor").get_by_label("Present").is_checked()

    # Ben was late: from his "Present" radio the arrow key moves to "Late"; Enter saves.
    page.get_by_role("group", name="Ben Okafor").get_by_label("Present").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.get_by_text("Register saved.").wait_for()
    statuses = dict(services.marks_of(session).values_list("person_id", "status"))
    names = dict(session.attendees.values_list("pk", "name"))
    assert {names[pk]: status for pk, status in statuses.items()} == {
        "Asha Patel": "present",
        "Ben Okafor": "late",
        "Cara Jones": "present",
    }
    assert page.get_by_role("group", name="Ben Okafor").get_by_label("Late").is_checked()
    page.wait_for_timeout(1000)  # let the message finish fading in before checking contrast
    assert_no_axe_violations(page)
    # WCAG 2.2 non-text contrast, which axe does not check: the radio's border, and the dot of
    # a chosen one, at least 3:1 against what is behind them, in the light and dark themes.
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        border, dot, behind = radio_colours(page.get_by_role("group", name="Ben Okafor"))
        assert contrast(border, behind) >= 3, (scheme, border, behind)
        assert contrast(dot, behind) >= 3, (scheme, dot, behind)


RADIO_COLOURS = """radio => {
  let under = radio.parentElement;
  while (under && getComputedStyle(under).backgroundColor === "rgba(0, 0, 0, 0)") {
    under = under.parentElement;
  }
  return [
    getComputedStyle(radio).borderTopColor,
    getComputedStyle(radio, "::before").backgroundColor,
    under ? getComputedStyle(under).backgroundColor : "rgb(255, 255, 255)",
  ];
}"""


def radio_colours(group):
    """The checked radio's border, its dot and the background behind it, as computed."""
    return group.locator("input[type=radio]:checked").evaluate(RADIO_COLOURS)


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two CSS rgb()/rgba() colours (opaque ones, as here)."""

    def luminance(colour: str) -> float:
        red, green, blue = (
            float(part) / 255
            for part in colour[colour.index("(") + 1 : colour.index(")")].split(",")[:3]
        )

        def linear(c: float) -> float:
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.fixture
def series_meeting(transactional_db):
    """A group's meeting (the tests' own series source): two members, hours recorded."""
    from datetime import timedelta

    from allauth.mfa.totp.internal.auth import TOTP
    from django.utils import timezone

    from tests.attendance.series_app.models import Group, Meeting, Member
    from tests.factories import UserFactory
    from tests.staff import STAFF_TOTP_SECRET as TOTP_SECRET

    leader = UserFactory(email="leader@example.org", roles=["Trainer"])
    TOTP.activate(leader, TOTP_SECRET)
    group = Group.objects.create(title="Thursday group")
    group.leaders.add(leader)
    starts = timezone.now() - timedelta(hours=3)
    meeting = Meeting.objects.create(
        group=group, starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    for name in ("Asha Patel", "Ben Okafor"):
        email = f"{name.split()[0].lower()}@example.org"
        Member.objects.create(group=group, name=name, email=email)
    return leader, meeting


def test_hours_on_a_series_register_are_typed_and_corrected_with_the_keyboard(page, series_meeting):
    from datetime import timedelta

    from portal.attendance import services
    from tests.factories import PASSWORD
    from tests.staff import current_code as _code

    leader, meeting = series_meeting
    page.set_viewport_size({"width": 375, "height": 667})
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(leader.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/2fa/authenticate/")
    page.get_by_label("Code").fill(_code())
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/profile/")

    page.goto(f"/admin/registers/attendance_series.meeting/{meeting.pk}/")
    assert_no_axe_violations(page)
    asha = page.get_by_role("group", name="Asha Patel")
    asha.get_by_label("Present").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # leaves the radio group for Asha's hours
    page.keyboard.type("one and a half")
    page.keyboard.press("Enter")
    page.get_by_text("Enter hours as a number, like 3 or 2.5").first.wait_for()
    assert not services.marks_of(meeting).exists()
    assert_no_axe_violations(page)

    # The summary names the box; what was typed is still there to correct.
    assert page.get_by_role("link", name="Asha Patel: Enter hours as a number").is_visible()
    hours = page.get_by_role("group", name="Asha Patel").get_by_label("Hours")
    assert hours.input_value() == "one and a half"
    hours.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("1.5")
    page.keyboard.press("Enter")
    page.get_by_text("Register saved.").wait_for()
    assert dict(services.marks_of(meeting).values_list("status", "duration")) == {
        "present": timedelta(hours=1.5)
    }
    assert "Attended 1 of 1 session held so far: completed" in page.content()
    page.wait_for_timeout(1000)  # let the message finish fading in before checking contrast
    assert_no_axe_violations(page)
