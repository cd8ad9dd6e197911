"""The staff area's Content-Security-Policy: a fresh nonce per response, given only to
Wagtail's own inline initialisers; the public site keeps the strict policy without one."""

import re

import pytest
from wagtail.admin.widgets import (
    AdminDateInput,
    AdminDateTimeInput,
    AdminPageChooser,
    AdminTimeInput,
)
from wagtail.snippets.widgets import AdminSnippetChooser

from portal.csp import is_wagtail_initialiser, nonce_wagtail_initialisers
from portal.localities import Locality
from tests.factories import UserFactory
from tests.staff import sign_in_to_staff_area

BARE_SCRIPT = re.compile(r"<script>")
NONCED_SCRIPT = re.compile(r'<script nonce="([^"]+)">')


def script_bodies(html: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", html, re.DOTALL)


@pytest.mark.parametrize(
    "widget",
    [
        AdminDateInput(),
        AdminTimeInput(),
        AdminDateTimeInput(),
        AdminPageChooser(),
        AdminSnippetChooser(Locality),
    ],
    ids=lambda widget: type(widget).__name__,
)
def test_the_inline_scripts_wagtails_widgets_render_are_recognised(widget):
    """Rendered by Wagtail itself, so an upgrade that changes their shape fails here."""
    [body] = script_bodies(widget.render("field", None, {"id": "id_field"}))
    assert is_wagtail_initialiser(body)


@pytest.mark.parametrize(
    "body",
    [
        "alert(document.cookie);",
        'new Function("alert(1)")();',
        'new Function("alert(1)");',
        'initDateChooser("id_x", {});alert(1);',
        'initDateChooser("id_x", {}); fetch("/admin/")',
        'initDateChooser("id_x", alert(1));',
        'initDateChooser("id_x", {"a": 1} + alert(1));',
        'initDateChooser("id_x", NaN);',
        "initDateChooser(window.name, {});",
        'new PageChooser("id_x", {}) || alert(1);',
        'initDateChooser("<!--", {});',
        'initDateChooser("</SCRIPT ", {});',
        '(function() { var panel = new InlinePanel(JSON.parse("{}")); alert(1); })();',
        '(function() { var panel = new InlinePanel(JSON.parse("x" + alert(1))); })();',
        '(function() { var panel = new InlinePanel(JSON.parse("not json")); })();',
    ],
)
def test_no_other_inline_script_is_recognised(body):
    assert not is_wagtail_initialiser(body)


def test_only_recognised_scripts_get_the_nonce():
    html = (
        '<script>initDateChooser("id_a", {"dayOfWeekStart": 1});</script>'
        '<script src="/static/x.js"></script>'
        '<script type="application/json">{"a": 1}</script>'
        "<script>alert(1)</script>"
        '<template><script>initDateChooser("id_x-__prefix__-date", {});</script></template>'
    )
    nonced = nonce_wagtail_initialisers(html, "n0nce")
    assert nonced == (
        '<script nonce="n0nce">initDateChooser("id_a", {"dayOfWeekStart": 1});</script>'
        '<script src="/static/x.js"></script>'
        '<script type="application/json">{"a": 1}</script>'
        "<script>alert(1)</script>"
        '<template><script nonce="n0nce">initDateChooser("id_x-__prefix__-date", {});'
        "</script></template>"
    )


@pytest.mark.django_db
def test_staff_area_pages_give_wagtails_initialisers_a_fresh_nonce(client, home_page):
    sign_in_to_staff_area(client, UserFactory(roles=["Editor"]))
    # The drop-in form has a snippet chooser, date and time pickers, and an inline panel
    # whose empty-row template carries the pickers of the row "Add" creates.
    response = client.get("/admin/snippets/cms/dropin/add/")
    assert response.status_code == 200
    html = response.content.decode()
    csp = response.headers["Content-Security-Policy"]
    [nonce] = re.findall(r"script-src 'self' 'nonce-([^']+)'", csp)
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "unsafe-eval" not in csp and "default-src 'self'" in csp
    assert not BARE_SCRIPT.search(html), "an inline script was left without the nonce"
    nonces = NONCED_SCRIPT.findall(html)
    assert len(nonces) >= 7 and set(nonces) == {nonce}
    assert "var panel = new InlinePanel" in html
    assert 'initDateChooser("id_cancellations\\u002D__prefix__\\u002Ddate"' in html
    if response.has_header("Content-Length"):
        assert int(response["Content-Length"]) == len(response.content)

    again = client.get("/admin/snippets/cms/dropin/add/").headers["Content-Security-Policy"]
    assert f"'nonce-{nonce}'" not in again


@pytest.mark.django_db
def test_the_public_site_keeps_the_strict_policy_without_a_nonce(client, home_page):
    for url in ["/", "/accounts/login/", "/no-such-page/"]:
        csp = client.get(url).headers["Content-Security-Policy"]
        assert "script-src 'self';" in csp and "style-src 'self';" in csp
        assert "nonce-" not in csp and "unsafe-inline" not in csp and "style-src-elem" not in csp
