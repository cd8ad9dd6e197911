"""Certificates: of attendance, per occurrence attended (a course session), or of
completion, per series completed (a 12-week programme); their signed links and the
references that verify them."""

from __future__ import annotations

from django.core import signing
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from portal import identifiers
from portal.attendance import selectors
from portal.attendance.models import ATTENDED, AttendanceMark, SeriesCompletion
from portal.attendance.registry import (
    CertificateDetails,
    source_for_series_type,
    source_for_type,
)

CERTIFICATE_SALT = "portal.attendance.certificate"
VERIFY_SALT = "portal.attendance.certificate.verify"
SERIES_CERTIFICATE_SALT = "portal.attendance.certificate.series"
SERIES_VERIFY_SALT = "portal.attendance.certificate.series.verify"
# A series certificate's reference starts with this letter; an occurrence's with a digit.
SERIES_PREFIX = "S"


class CertificateUnavailable(Exception):
    pass


def certificate_token(mark_: AttendanceMark) -> str:
    return signing.dumps(mark_.pk, salt=CERTIFICATE_SALT)


def mark_for_certificate_token(token: str) -> AttendanceMark:
    try:
        pk = signing.loads(token, salt=CERTIFICATE_SALT)
    except signing.BadSignature:
        raise CertificateUnavailable from None
    mark_ = AttendanceMark.objects.filter(pk=pk).first()
    if mark_ is None:
        raise CertificateUnavailable
    return mark_


def verification_reference(mark_: AttendanceMark) -> str:
    digest = salted_hmac(VERIFY_SALT, str(mark_.pk)).hexdigest()[:10].upper()
    return f"{mark_.pk}-{digest}"


def mark_for_reference(reference: str) -> AttendanceMark | None:
    pk = identifiers.ascii_int(reference.strip().partition("-")[0])
    if pk is None:
        return None
    mark_ = AttendanceMark.objects.filter(pk=pk, status__in=ATTENDED).first()
    if mark_ is None or not constant_time_compare(
        verification_reference(mark_), reference.strip().upper()
    ):
        return None
    return mark_


def certificate_details(mark_: AttendanceMark) -> CertificateDetails:
    """What a certificate of attendance shows, once the occurrence has ended and only for
    someone who was there (present or late), where the source gives one per occurrence."""
    if not mark_.attended:
        raise CertificateUnavailable
    source = source_for_type(mark_.occurrence_type_id)
    if source is None or source.certificate_per != "occurrence":
        raise CertificateUnavailable
    occurrence = source.queryset().get(pk=mark_.occurrence_id)
    if not source.gives_certificates or source.ends_at(occurrence) > timezone.now():
        raise CertificateUnavailable
    person = source.person_model.objects.filter(pk=mark_.person_id).first()
    details = source.certificate(occurrence, person) if person else None
    if details is None:
        raise CertificateUnavailable
    return details


def series_certificate_token(completion: SeriesCompletion) -> str:
    return signing.dumps(completion.pk, salt=SERIES_CERTIFICATE_SALT)


def completion_for_certificate_token(token: str) -> SeriesCompletion:
    try:
        pk = signing.loads(token, salt=SERIES_CERTIFICATE_SALT)
    except signing.BadSignature:
        raise CertificateUnavailable from None
    completion = SeriesCompletion.objects.filter(pk=pk).first()
    if completion is None:
        raise CertificateUnavailable
    return completion


def series_verification_reference(completion: SeriesCompletion) -> str:
    digest = salted_hmac(SERIES_VERIFY_SALT, str(completion.pk)).hexdigest()[:10].upper()
    return f"{SERIES_PREFIX}{completion.pk}-{digest}"


def completion_for_reference(reference: str) -> SeriesCompletion | None:
    reference = reference.strip().upper()
    if not reference.startswith(SERIES_PREFIX):
        return None
    pk = identifiers.ascii_int(reference[len(SERIES_PREFIX) :].partition("-")[0])
    if pk is None:
        return None
    completion = SeriesCompletion.objects.filter(pk=pk, completed=True).first()
    if completion is None or not constant_time_compare(
        series_verification_reference(completion), reference
    ):
        return None
    return completion


def series_certificate_details(completion: SeriesCompletion) -> CertificateDetails:
    """What a certificate of completion shows: only for someone whose stored completion says
    so, once every occurrence of the series has ended and was counted."""
    if not completion.completed:
        raise CertificateUnavailable
    source = source_for_series_type(completion.series_type_id)
    if source is None or not source.gives_certificates or source.certificate_per != "series":
        raise CertificateUnavailable
    series = source.series_model.objects.filter(pk=completion.series_id).first()
    if series is None or not selectors.certificate_due_at(source, series, completion):
        raise CertificateUnavailable
    person = source.person_model.objects.filter(pk=completion.person_id).first()
    details = source.series_certificate(series, person, completion) if person else None
    if details is None:
        raise CertificateUnavailable
    return details


def details_for_reference(reference: str) -> CertificateDetails | None:
    """The certificate a verification reference is for, if it is genuine and still stands."""
    try:
        if completion := completion_for_reference(reference):
            return series_certificate_details(completion)
        if mark_ := mark_for_reference(reference):
            return certificate_details(mark_)
    except CertificateUnavailable:
        return None
    return None
