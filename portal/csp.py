"""The Content-Security-Policy: strict on the public site; in the staff area, the same policy
plus a per-response nonce that only Wagtail's own inline initialisers receive.

Wagtail 8's admin still starts some widgets with an inline `<script>`: choosers
(`new PageChooser("id_course", {...});`), date and time pickers (`initDateChooser(...)`) and
inline panels (`new InlinePanel(JSON.parse("..."))`, whose empty-row `<template>` carries the
pickers of the row "Add" creates). `script-src 'self'` blocks them all and the widgets do
nothing. Allowing `'unsafe-inline'` would also run any script an injection got into a staff
page, where personal data is shown; so each staff-area HTML response gets a fresh nonce, and
`nonce_wagtail_initialisers` adds it only to bare inline scripts whose whole body is a call to
one of those initialisers with literal JSON data. Any other inline script stays blocked (and
is logged). Scripts that jQuery later runs from the `<template>` keep the nonce attribute.

Wagtail's rich text editor (Draftail, React) inserts `<style>` elements for its placeholder and
list numbering, which no nonce can reach; the staff area alone allows inline `<style>`
elements. Every fetch directive stays 'self', so injected CSS cannot send anything away.
"""

import json
import logging
import re
import secrets

logger = logging.getLogger(__name__)

# Everything from our own origin only. No 'unsafe-inline': scripts and styles live in files.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self'",
        "object-src 'none'",
        "frame-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
    ]
)


def content_security_policy(nonce: str | None = None) -> str:
    """The public policy, or with a nonce, the staff area's."""
    # Forms may lead to our own pages and to the card checkout (a redirect after a form post
    # counts): Stripe's, or the stand-in the tests configure.
    from portal.payments.stripe_api import checkout_origin

    policy = f"{CONTENT_SECURITY_POLICY}; form-action 'self' {checkout_origin()}"
    if nonce is None:
        return policy
    return policy.replace("script-src 'self'", f"script-src 'self' 'nonce-{nonce}'", 1).replace(
        "style-src 'self'", "style-src 'self'; style-src-elem 'self' 'unsafe-inline'", 1
    )


def new_nonce() -> str:
    return secrets.token_urlsafe(18)


# A script element as the HTML parser sees it: its body ends at the first `</script>`.
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
# Text that would change where the parser ends the script, so the body we check is not the
# body the browser runs.
_PARSER_TRAPS = re.compile(r"</script|<script|<!--", re.IGNORECASE)
# `new PageChooser(<json>, <json>);` (every BaseChooser), `initDateChooser(<json>, <json>);`
# (the date, time and date-time inputs) and `createTaskChooser(<json>);`.
_DATA_CALL = re.compile(
    r"\s*(?:new (?:Page|Snippet|Image|Document)?Chooser"
    r"|init(?:Date|Time|DateTime)Chooser|createTaskChooser)\("
)
_ARGUMENT_SEPARATOR = re.compile(r"\s*,\s*")
_CALL_END = re.compile(r"\s*\);\s*\Z")
# wagtailadmin/panels/inline_panel.html and multiple_chooser_panel.html.
_PANEL = re.compile(
    r"\s*\(function\(\) \{\s*var panel = new (?:InlinePanel|MultipleChooserPanel)"
    r'\(JSON\.parse\(("(?:[^"\\]|\\.)*")\)\);\s*\}\)\(\);\s*\Z'
)
_JSON = json.JSONDecoder(parse_constant=lambda name: _reject(name))


def _reject(name):
    raise ValueError(name)


def is_wagtail_initialiser(body: str) -> bool:
    """Whether a script body only calls one of Wagtail's widget or panel initialisers with
    literal JSON arguments (data, so nothing else can run)."""
    if _PARSER_TRAPS.search(body):
        return False
    if panel := _PANEL.match(body):
        try:
            json.loads(json.loads(panel.group(1)))
        except ValueError:
            return False
        return True
    call = _DATA_CALL.match(body)
    if not call:
        return False
    position = call.end()
    while True:
        try:
            _value, position = _JSON.raw_decode(body, position)
        except ValueError:
            return False
        if _CALL_END.match(body, position):
            return True
        separator = _ARGUMENT_SEPARATOR.match(body, position)
        if not separator:
            return False
        position = separator.end()


def nonce_wagtail_initialisers(html: str, nonce: str, path: str = "") -> str:
    """Give `nonce` to the inline scripts that are Wagtail initialisers; leave the rest."""

    def add_nonce(match: re.Match) -> str:
        body = match.group(1)
        if is_wagtail_initialiser(body):
            return f'<script nonce="{nonce}">{body}</script>'
        logger.warning("An inline script on %s stays blocked: %.80r", path, body)
        return match.group(0)

    return _INLINE_SCRIPT.sub(add_nonce, html)
