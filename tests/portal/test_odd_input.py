"""Odd ids and tokens in a URL get a 4xx, never a 500: a NUL byte (PostgreSQL refuses it in a
query), digits from other scripts ("²".isdigit() is true, int("²") fails), values far longer
than any column, and other junk. Every URL of ours that takes an id or token is here, and a
guard keeps new ones on the strict converters (portal.identifiers)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import PathConverter, StringConverter

from tests.factories import UserFactory
from tests.staff import sign_in_to_staff_area

pytestmark = pytest.mark.django_db

ODD_VALUES = {
    "nul": "%00",
    "nul inside": "TR-AB%00CD",
    "superscript two": "%C2%B2",
    "arabic-indic digits": "%D9%A1%D9%A2",
    "fullwidth digits": "%EF%BC%91%EF%BC%92",
    "over-long digits": "9" * 40,
    "over-long text": "x" * 2000,
    "right-to-left override": "%E2%80%AEabc",
    "invalid utf-8": "%FF%FE",
    "quote and angle brackets": "%22%3E%3Cscript%3E",
    "dot dot": "..",
    "space": "%20",
}

# {} is where the odd value goes; each is tried signed in as a member of the public.
PUBLIC_URLS = [
    ("get", "/calendars/private/{}.ics"),
    ("get", "/training/calendar/{}.ics"),
    ("get", "/training/bookings/{}/"),
    ("post", "/training/bookings/{}/pay/"),
    ("get", "/training/bookings/{}/cancel/"),
    ("post", "/training/bookings/{}/cancel/"),
    ("get", "/training/bookings/{}/places/1/cancel/"),
    ("get", "/training/bookings/{}/places/1/transfer/"),
    ("get", "/training/bookings/TR-ABCDEF/places/{}/transfer/"),
    ("get", "/training/offers/{}/"),
    ("post", "/training/offers/{}/"),
    ("get", "/training/sessions/{}/book/"),
    ("get", "/attendance/certificates/{}/"),
    ("get", "/attendance/certificates/link/{}/"),
    ("get", "/attendance/certificates/verify/{}/"),
    ("get", "/attendance/certificates/verify/1-{}/"),
    ("get", "/attendance/certificates/verify/{}-0123456789/"),
    ("get", "/attendance/certificates/verify/S{}-0123456789/"),
    ("get", "/attendance/certificates/series/{}/"),
    ("get", "/attendance/certificates/series/link/{}/"),
    ("get", "/attendance/feedback/{}/"),
    ("post", "/attendance/feedback/{}/"),
    ("get", "/{}/"),
]

# Free text in a form is the person's to type: it is answered (here, "no results"), never a 500.
FORM_URLS = [("get", "/search/?q={}"), ("get", "/search/?q=help&page={}")]

# Tried signed in to the staff area as a coordinator (who may open all of them).
STAFF_URLS = [
    ("get", "/admin/course-sessions/{}/people/"),
    ("get", "/admin/course-sessions/{}/attendees.csv"),
    ("post", "/admin/course-sessions/1/people/offer/{}/"),
    ("get", "/admin/registers/{}/1/"),
    ("get", "/admin/registers/courses.session/{}/"),
    ("get", "/admin/registers/attendance_series.meeting/{}/"),
    ("get", "/admin/service-reports/{}/"),
    ("post", "/admin/course-invoices/{}/paid/"),
    ("get", "/admin/course_sessions/edit/{}/"),
    ("get", "/admin/organisations/inspect/{}/"),
    ("get", "/admin/payments/payment/inspect/{}/"),
    ("get", "/admin/users/edit/{}/"),
]


def _answers(client, method, template) -> dict[str, int]:
    # Followed to the end: a slash appended by CommonMiddleware is a step, not the answer.
    return {
        name: getattr(client, method)(template.format(value), follow=method == "get").status_code
        for name, value in ODD_VALUES.items()
    }


def _assert_all_4xx(client, method, template):
    answers = _answers(client, method, template)
    wrong = {name: status for name, status in answers.items() if not 400 <= status < 500}
    assert not wrong, f"{method.upper()} {template}: {wrong}"


@pytest.mark.parametrize(("method", "template"), PUBLIC_URLS, ids=[u for _, u in PUBLIC_URLS])
def test_odd_values_in_public_urls_get_a_4xx(client, method, template):
    client.force_login(UserFactory())
    _assert_all_4xx(client, method, template)


@pytest.mark.parametrize(("method", "template"), FORM_URLS, ids=[u for _, u in FORM_URLS])
def test_odd_text_in_forms_is_answered_not_a_server_error(client, method, template):
    answers = _answers(client, method, template)
    assert {name: status for name, status in answers.items() if status >= 500} == {}


@pytest.mark.parametrize(("method", "template"), STAFF_URLS, ids=[u for _, u in STAFF_URLS])
def test_odd_values_in_staff_urls_get_a_4xx(client, method, template):
    sign_in_to_staff_area(client, UserFactory(roles=["Coordinator"], is_superuser=True))
    _assert_all_4xx(client, method, template)


OUR_APPS = ("portal", "courses", "cms", "programmes", "volunteers")


def _our_patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _our_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.lookup_str.startswith(OUR_APPS):
            yield prefix + str(entry.pattern), entry


def test_our_urls_take_ids_and_tokens_only_through_strict_converters():
    loose = [
        route
        for route, entry in _our_patterns()
        if any(
            type(c) in (StringConverter, PathConverter)
            for c in getattr(entry.pattern, "converters", {}).values()
        )
        or entry.pattern.regex.pattern.count("(?P<") > len(getattr(entry.pattern, "converters", {}))
    ]
    assert loose == []
