"""A reader's journeys through the public site in Chromium: guidance to the finder, keyboard
only, axe-core on every page type, and reflow at 320 CSS pixels."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser.fixtures import assert_no_axe_violations

# The tests share one seeded database and live server (tests/browser/fixtures.py).
pytestmark = pytest.mark.xdist_group("public-site")


@pytest.fixture
def server(shared_server):
    return shared_server


PAGE_TYPES = {
    "home": "/",
    "guidance index": "/guidance/",
    "guidance article": "/guidance/what-is-domestic-abuse/",
    "finder": "/drop-ins/",
    "finder with an error": "/drop-ins/?locality=atlantis",
    "safety page": "/staying-safe-online/",
    "standard page": "/about-us/",
    "accessibility statement": "/accessibility-statement/",
    "privacy notice": "/privacy-notice/",
    "search results": "/search/?q=abuse",
    "empty search": "/search/?q=",
}


@pytest.fixture(scope="module")
def site(shared_database):
    from cms import demo

    cache.clear()
    demo.seed()
    yield
    cache.clear()


def _helpline_status_layout(page) -> dict:
    return page.evaluate(
        """() => {
          const tag = document.querySelector('.portal-helpline-status');
          const number = tag.parentElement.querySelector('a[href^="tel:"]');
          const style = getComputedStyle(tag);
          const lineBox = parseFloat(style.lineHeight) + parseFloat(style.paddingTop)
            + parseFloat(style.paddingBottom) + parseFloat(style.borderTopWidth)
            + parseFloat(style.borderBottomWidth);
          return {below: tag.getBoundingClientRect().top >= number.getBoundingClientRect().bottom,
                  lines: Math.round(tag.getBoundingClientRect().height / lineBox * 10) / 10};
        }"""
    )


def test_home_to_an_article_to_the_finder_filtered_to_north(page, site):
    page.goto("/")
    # "Open now" / "Closed now, opens ..." sits under the helpline number: on one line at
    # desktop width, never squeezed beside the number (it wrapped onto three lines there).
    layout = _helpline_status_layout(page)
    assert layout == {"below": True, "lines": 1.0}, layout
    page.get_by_role("link", name="Coercive control").first.click()
    expect(page.locator("h1")).to_have_text("Coercive control")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Find a drop-in").click()
    page.get_by_label("Area").select_option("north")
    page.get_by_role("button", name="Show drop-ins").click()
    page.wait_for_url("**/drop-ins/?locality=north*")
    cards = page.locator(".govuk-summary-card")
    expect(cards).to_have_count(2)
    assert "Southgate" not in page.locator("main").inner_text()
    for next_date in cards.locator(".portal-next-date").all_inner_texts():
        assert any(day in next_date for day in ("Monday", "Thursday")), next_date


def test_exit_this_page_from_an_article(page, site, settings):
    page.goto("/guidance/coercive-control/")
    page.get_by_role("button", name="Emergency Exit this page").click()
    page.wait_for_url(settings.EXIT_PAGE_URL)


def test_shift_three_times_leaves_the_finder(page, site, settings):
    page.goto("/drop-ins/")
    page.locator("h1").click()
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(settings.EXIT_PAGE_URL)


def _focus_order(page, limit=80) -> list[str]:
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        label = page.evaluate(
            """() => {
              const el = document.activeElement;
              if (!el || el === document.body) return null;
              return (el.tagName + ':' + (el.getAttribute('name') || el.textContent || '')
                .trim().replace(/\\s+/g, ' ')).slice(0, 60);
            }"""
        )
        if label is None or (seen and label == seen[0]):
            break
        seen.append(label)
    return seen


def test_keyboard_alone_reaches_every_finder_control_in_order(page, site):
    page.goto("/drop-ins/")
    order = _focus_order(page)
    assert order[0] == "A:Exit this page"
    expected = [
        "SELECT:locality",
        "SELECT:day",
        "BUTTON:Show drop-ins",
        "A:Add the drop-ins to your calendar (.ics)",
    ]
    positions = [order.index(name) for name in expected]
    assert positions == sorted(positions), order
    # The Exit this page button comes before the page's own controls.
    assert order.index("A:Emergency Exit this page") < positions[0]
    # Choosing with the keyboard only: filter to North and submit.
    page.focus("#id_locality")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.focus("button.govuk-button--secondary")
    page.keyboard.press("Enter")
    page.wait_for_url("**/drop-ins/?locality=*")


def test_keyboard_alone_reaches_the_guidance_filters_in_order_and_submits_them(page, site):
    page.goto("/guidance/")
    order = _focus_order(page, limit=120)
    expected = ["SELECT:topic", "SELECT:audience", "BUTTON:Show guidance"]
    positions = [order.index(name) for name in expected]
    assert positions == sorted(positions), order
    assert order.index("A:Emergency Exit this page") < positions[0]
    # The articles the filters narrow come after the filters.
    assert order.index("A:What domestic abuse is") > positions[-1], order
    # Keyboard only, from the topic list: choose, Tab on, choose, Tab to the button, Enter.
    page.focus("#id_topic")
    page.keyboard.press("ArrowDown")  # the first topic after "All topics"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "audience"
    page.keyboard.press("ArrowDown")  # the first audience after "Everyone"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Show guidance"
    page.keyboard.press("Enter")
    page.wait_for_url("**/guidance/?topic=physical&audience=survivors")
    heading = page.get_by_role("heading", name="on physical abuse for victims and survivors")
    expect(heading).to_be_visible()


def test_keyboard_alone_reaches_every_search_control(page, site):
    page.goto("/search/?q=abuse")
    order = _focus_order(page, limit=120)
    for name in ["INPUT:q", "BUTTON:Search"]:
        assert name in order, order
    assert order.index("INPUT:q") < order.index("BUTTON:Search")
    page.focus("#id_q")
    page.keyboard.press("Control+A")
    page.keyboard.type("drop-in")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=drop-in")


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_each_public_page_type_passes_axe_and_reflows_at_320_pixels(page, site, name):
    """One live-server setup per page type serves both checks (each setup re-seeds the site)."""
    page.goto(PAGE_TYPES[name])
    assert_no_axe_violations(page)
    page.set_viewport_size({"width": 320, "height": 640})
    page.reload()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 320px"
    if name == "home":
        assert _helpline_status_layout(page)["below"], "the open/closed tag beside the number"
