"""What an id, reference or token taken from a request may look like, checked before any query.

Text from a URL or a payload reaches the database only once it has the shape we issue: a
NUL byte (PostgreSQL refuses it: a 500), a digit from another script ("²".isdigit() is true,
int("²") fails), or a value longer than the column would otherwise crash a page. So:

- every URL that takes an id or token uses one of the strict converters below (a value of
  another shape matches no URL: a plain 404), never `<str:>` or `<path:>`;
- code that parses an id from other text uses `ascii_int()`.

The converters are registered when this module is imported; a urls.py that uses them
imports it.
"""

from __future__ import annotations

import re

from django.urls import register_converter

# "TR-" and six letters or digits (courses.Booking.new_reference); the column holds 12.
BOOKING_REFERENCE = r"[A-Za-z0-9-]{1,12}"
# secrets.token_urlsafe() (calendar feeds); the column holds 64.
FEED_KEY = r"[A-Za-z0-9_-]{1,64}"
# django.core.signing.dumps(): URL-safe base64 and ":" separators (a leading "." when
# compressed). Ours are about 100 characters; the bound keeps anything odd from the signer.
SIGNED_LINK = r"[A-Za-z0-9_:.-]{1,300}"
# A certificate's verification reference: the mark's id (or "S" and the series completion's
# id) and ten hex digits of its HMAC.
CERTIFICATE_REFERENCE = r"[Ss]?[0-9]{1,18}-[0-9A-Fa-f]{10}"
# "S" and seven letters or digits (referrals.models.new_reference); the column holds 12.
REFERRAL_REFERENCE = r"[A-Za-z0-9]{1,12}"
# A model's label_lower, e.g. "courses.session" (register sources).
MODEL_LABEL = r"[a-z][a-z0-9_]{0,49}\.[a-z][a-z0-9_]{0,49}"
# When an outcome measure is answered (portal.outcomes.models.Occasion).
OUTCOME_OCCASION = r"start|end"

_ASCII_INT = re.compile(r"[0-9]{1,18}")


def ascii_int(value: object) -> int | None:
    """The whole number `value` spells in ASCII digits (up to 18, within a bigint), else None.

    str.isdigit() is true for "²" and "١", which int() then refuses or reads as something else.
    """
    text = str(value).strip()
    return int(text) if _ASCII_INT.fullmatch(text) else None


class _Converter:
    regex = ""

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        value = str(value)
        if not re.fullmatch(self.regex, value):
            raise ValueError(f"{value!r} is not a valid {type(self).__name__}")
        return value


class BookingReferenceConverter(_Converter):
    regex = BOOKING_REFERENCE


class RandomTokenConverter(_Converter):
    regex = FEED_KEY


class SignedTokenConverter(_Converter):
    regex = SIGNED_LINK


class CertificateReferenceConverter(_Converter):
    regex = CERTIFICATE_REFERENCE


class ReferralReferenceConverter(_Converter):
    regex = REFERRAL_REFERENCE


class ModelLabelConverter(_Converter):
    regex = MODEL_LABEL


class OutcomeOccasionConverter(_Converter):
    regex = OUTCOME_OCCASION


register_converter(BookingReferenceConverter, "booking_ref")
register_converter(RandomTokenConverter, "token")
register_converter(SignedTokenConverter, "signed")
register_converter(CertificateReferenceConverter, "certificate_ref")
register_converter(ReferralReferenceConverter, "referral_ref")
register_converter(ModelLabelConverter, "model_label")
register_converter(OutcomeOccasionConverter, "occasion")
