"""Every link a role is shown in the staff area opens for that role: none ends at Wagtail's
"Sorry, you do not have permission to access this area" (a redirect to the dashboard) or a
403. Walks the sidebar menu, the dashboard and the pages they lead to, two links deep."""

import json
import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import Audience, Booking, PaymentMethod
from tests.attendance import factories
from tests.factories import OrganisationFactory, UserFactory
from tests.staff import sign_in_to_staff_area

pytestmark = pytest.mark.django_db

# Links that change something, or that Wagtail's scripts complete, are not followed.
NOT_FOLLOWED = re.compile(r"logout|/(delete|unpublish|copy|move|lock|unlock|bulk)/")


@pytest.fixture
def something_in_every_listing(past_session, coordinator):
    """A session with a booking and an invoice owed, so that listings show their row links."""
    booking = factories.booking(
        past_session,
        UserFactory(),
        organisation=OrganisationFactory(sector="business"),
        audience=Audience.BUSINESS,
        unit_price_pence=4500,
    )
    Booking.objects.filter(pk=booking.pk).update(
        payment_method=PaymentMethod.INVOICE, invoice_owed_pence=4500
    )


def _links(html: str) -> set[str]:
    html = unescape(html)
    links = set(re.findall(r'(?:href|action)="(/admin/[^"#]*)', html))
    # Wagtail draws the sidebar menu from JSON.
    sidebar = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S)
    if sidebar:
        links |= set(re.findall(r'"url": "(/admin/[^"]*)"', json.dumps(json.loads(sidebar[1]))))
    return {link for link in links if not NOT_FOLLOWED.search(link)}


def _dead_ends(client) -> list[str]:
    dashboard = reverse("wagtailadmin_home")
    seen, dead = {dashboard}, []
    frontier = [dashboard]
    for _depth in range(2):
        found = []
        for url in frontier:
            response = client.get(url)
            if "html" not in response.get("Content-Type", ""):
                continue
            for link in _links(response.content.decode()) - seen:
                seen.add(link)
                opened = client.get(link)
                denied = opened.status_code == 403 or (
                    opened.status_code == 302 and opened["Location"] == dashboard
                )
                if denied:
                    dead.append(f"{link} (linked from {url})")
                elif opened.status_code == 200:
                    found.append(link)
        frontier = found
    return dead


@pytest.mark.parametrize(
    "role", ["Commissioner", "Trainer", "Programme facilitator", "Volunteer coordinator"]
)
def test_staff_are_shown_no_link_that_ends_at_permission_denied(
    staff_client, something_in_every_listing, role
):
    client = staff_client(UserFactory(roles=[role]))
    assert _dead_ends(client) == []


def test_commissioners_get_no_page_search_and_no_links_to_the_people_in_a_session(
    staff_client, something_in_every_listing, past_session
):
    """The two links they were shown: Wagtail's dashboard "Search all pages" box (they open no
    pages) and each session's "Bookings and waiting list" (they see figures, not people)."""
    client = staff_client(UserFactory(roles=["Commissioner"]))
    assert 'role="search"' not in client.get(reverse("wagtailadmin_home")).text
    invoices = client.get(reverse("courses_invoices_owed")).text
    assert "45.00" in invoices and "Mark paid" not in invoices
    sessions = client.get(reverse("course_sessions:index")).text
    assert str(past_session.course) in sessions
    people = reverse("courses_session_people", args=[past_session.pk])
    assert people not in sessions
    # Those who may use them still get them.
    coordinator = Client()
    sign_in_to_staff_area(coordinator, UserFactory(roles=["Coordinator"]))
    assert people in coordinator.get(reverse("course_sessions:index")).text
    editor = Client()
    sign_in_to_staff_area(editor, UserFactory(roles=["Editor"]))
    assert 'role="search"' in editor.get(reverse("wagtailadmin_home")).text
