"""Every write to registers and feedback, in explicit transactions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from portal import audit, identifiers, notify
from portal.attendance.models import ATTENDED, AttendanceMark, AttendanceStatus, FeedbackResponse
from portal.attendance.registry import (
    CertificateDetails,
    RegisterSource,
    source_for,
    source_for_type,
    sources,
)

FEEDBACK_SALT = "portal.attendance.feedback"
CERTIFICATE_SALT = "portal.attendance.certificate"
VERIFY_SALT = "portal.attendance.certificate.verify"
FEEDBACK_LINK_LIFETIME = timedelta(days=60)
# Feedback is asked for only about occurrences that ended this recently.
FEEDBACK_LOOKBACK = timedelta(days=14)


class RegisterError(Exception):
    """A register change the service refuses; the message is fit to show."""


ALREADY_GIVEN = "You have already given feedback on this. Thank you."


class FeedbackLinkError(Exception):
    """A feedback link that cannot be used; the message is fit to show, and `status` is the
    page's HTTP status: 404 for a link we never made, 410 for one used up or expired."""

    def __init__(self, message: str, status: int = 404):
        super().__init__(message)
        self.status = status


class CertificateUnavailable(Exception):
    pass


def marks_of(occurrence: models.Model) -> models.QuerySet[AttendanceMark]:
    source = source_for(occurrence)
    return AttendanceMark.objects.filter(
        occurrence_type=source.occurrence_type(), occurrence_id=occurrence.pk
    )


def _check_may_take(source: RegisterSource, user, occurrence) -> None:
    if not source.may_take(user, occurrence):
        raise PermissionDenied("Only this session's trainers and coordinators take its register.")


def not_started_message(source: RegisterSource, occurrence) -> str:
    """Why the register cannot be taken yet, or "" once the occurrence has started."""
    starts_at = source.starts_at(occurrence)
    if starts_at <= timezone.now():
        return ""
    local = timezone.localtime(starts_at)
    return (
        f"This register can be taken once it starts, at {local:%H:%M} on {local:%A %-d %B %Y}. "
        "Until then you can open it to see who is coming and what they need."
    )


def _check_started(source: RegisterSource, occurrence) -> None:
    # Checked on the locked row, so a session moved later meanwhile is refused too.
    if message := not_started_message(source, occurrence):
        raise RegisterError(message)


@transaction.atomic
def take_register(occurrence: models.Model, statuses: Mapping[int, str], *, by) -> int:
    """Record each person's status (person pk -> status); returns how many marks changed.
    Refused (RegisterError) before the occurrence starts: it may be opened, not taken.

    The occurrence row is locked so that two people saving the same register at once
    cannot both create a person's mark.
    """
    source = source_for(occurrence)
    _check_may_take(source, by, occurrence)
    occurrence = source.model.objects.select_for_update().get(pk=occurrence.pk)
    _check_started(source, occurrence)
    expected = {entry.person.pk for entry in source.expected(occurrence)}
    existing = {mark.person_id: mark for mark in marks_of(occurrence)}
    changed = 0
    for person_id, status in statuses.items():
        if status not in AttendanceStatus.values:
            raise RegisterError(f"“{status}” is not a register status.")
        if person_id not in expected and person_id not in existing:
            raise RegisterError("That person is not on this register.")
        changed += _set_mark(source, occurrence, person_id, existing.get(person_id), status, by)
    _after_marking(source, occurrence)
    return changed


def mark(occurrence: models.Model, person: models.Model, status: str, *, by) -> AttendanceMark:
    take_register(occurrence, {person.pk: status}, by=by)
    return marks_of(occurrence).get(person_id=person.pk)


@transaction.atomic
def mark_all_present(occurrence: models.Model, *, by) -> int:
    """Mark everyone expected who has no mark yet as present; marks already given stay."""
    source = source_for(occurrence)
    _check_may_take(source, by, occurrence)
    occurrence = source.model.objects.select_for_update().get(pk=occurrence.pk)
    _check_started(source, occurrence)
    marked = set(marks_of(occurrence).values_list("person_id", flat=True))
    changed = 0
    for entry in source.expected(occurrence):
        if entry.person.pk not in marked:
            changed += _set_mark(
                source, occurrence, entry.person.pk, None, AttendanceStatus.PRESENT, by
            )
    _after_marking(source, occurrence)
    return changed


def _set_mark(source, occurrence, person_id: int, existing, status: str, by) -> int:
    if existing is not None and existing.status == status:
        return 0
    if existing is None:
        mark = AttendanceMark.objects.create(
            occurrence_type=source.occurrence_type(),
            occurrence_id=occurrence.pk,
            person_type=source.person_type(),
            person_id=person_id,
            status=status,
            marked_by=by,
        )
        audit.record(by, audit.Action.CREATE, mark, status=status)
        return 1
    previous = existing.status
    existing.status = status
    existing.marked_by = by
    existing.marked_at = timezone.now()
    existing.save(update_fields=["status", "marked_by", "marked_at"])
    audit.record(by, audit.Action.CHANGE, existing, status=status, previous=previous)
    return 1


def _after_marking(source: RegisterSource, occurrence) -> None:
    if source.sends_feedback and source.ends_at(occurrence) <= timezone.now():
        request_feedback(source, occurrence)


def request_feedback(source: RegisterSource, occurrence) -> int:
    """Send the feedback form (with the certificate link) to everyone who attended and has
    not been asked yet. Runs inside the caller's transaction: the emails leave on commit."""
    pending = list(
        marks_of(occurrence)
        .select_for_update()
        .filter(status__in=ATTENDED, feedback_requested_at__isnull=True)
    )
    if not pending:
        return 0
    people = source.people().in_bulk([m.person_id for m in pending])
    title = source.title(occurrence)
    now = timezone.now()
    for mark_ in pending:
        person = people.get(mark_.person_id)
        if person is None:
            continue
        context = {
            "title": title,
            "held_on": timezone.localtime(source.starts_at(occurrence)),
            "feedback_url": settings.SITE_URL
            + reverse("attendance:feedback", args=[feedback_token(mark_)]),
            "certificate_url": settings.SITE_URL
            + reverse("attendance:certificate_by_link", args=[certificate_token(mark_)])
            if source.gives_certificates
            else "",
        }
        notify.send(
            source.recipient(person),
            notify.Message(
                kind="attendance.feedback_request",
                template="attendance/emails/feedback_request",
                subject=f"How was {title}?",
                context=context,
            ),
        )
        mark_.feedback_requested_at = now
    AttendanceMark.objects.bulk_update(pending, ["feedback_requested_at"])
    return len(pending)


def send_due_feedback(now: datetime | None = None) -> int:
    """Scheduled: ask for feedback about occurrences that have ended since their register
    was taken (a register taken during a session sends nothing until it ends)."""
    now = now or timezone.now()
    sent = 0
    for source in sources():
        if not source.sends_feedback:
            continue
        ended = source.model.objects.filter(
            **{
                f"{source.ends_at_field}__lte": now,
                f"{source.ends_at_field}__gte": now - FEEDBACK_LOOKBACK,
            }
        ).values("pk")
        occurrence_ids = (
            AttendanceMark.objects.filter(
                occurrence_type=source.occurrence_type(),
                occurrence_id__in=ended,
                status__in=ATTENDED,
                feedback_requested_at__isnull=True,
            )
            .values_list("occurrence_id", flat=True)
            .distinct()
        )
        for occurrence_id in list(occurrence_ids):
            with transaction.atomic():
                occurrence = source.model.objects.select_for_update().get(pk=occurrence_id)
                sent += request_feedback(source, occurrence)
    return sent


def feedback_token(mark_: AttendanceMark) -> str:
    return signing.dumps(
        [mark_.occurrence_type_id, mark_.occurrence_id, mark_.person_type_id, mark_.person_id],
        salt=FEEDBACK_SALT,
    )


def mark_for_feedback(token: str) -> AttendanceMark:
    """The attended mark a feedback link is for, or FeedbackLinkError saying why not."""
    invalid = "This feedback link is not valid. Check you used the whole link from your email."
    try:
        occurrence_type, occurrence_id, person_type, person_id = signing.loads(
            token, salt=FEEDBACK_SALT, max_age=FEEDBACK_LINK_LIFETIME
        )
    except signing.SignatureExpired:
        raise FeedbackLinkError("This feedback link has expired.", 410) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise FeedbackLinkError(invalid) from None
    key = {
        "occurrence_type_id": occurrence_type,
        "occurrence_id": occurrence_id,
        "person_type_id": person_type,
        "person_id": person_id,
    }
    mark_ = AttendanceMark.objects.filter(status__in=ATTENDED, **key).first()
    if mark_ is None:
        raise FeedbackLinkError(invalid)
    if FeedbackResponse.objects.filter(**key).exists():
        raise FeedbackLinkError(ALREADY_GIVEN, 410)
    return mark_


@transaction.atomic
def submit_feedback(token: str, *, rating: int, comment: str = "") -> FeedbackResponse:
    mark_ = mark_for_feedback(token)
    try:
        with transaction.atomic():
            return FeedbackResponse.objects.create(
                occurrence_type_id=mark_.occurrence_type_id,
                occurrence_id=mark_.occurrence_id,
                person_type_id=mark_.person_type_id,
                person_id=mark_.person_id,
                rating=rating,
                comment=comment.strip(),
            )
    except IntegrityError:
        # Two submissions of one link at once: the first one counts.
        raise FeedbackLinkError(ALREADY_GIVEN, 410) from None


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
    someone who was there (present or late)."""
    if not mark_.attended:
        raise CertificateUnavailable
    source = source_for_type(mark_.occurrence_type_id)
    if source is None:
        raise CertificateUnavailable
    occurrence = source.queryset().get(pk=mark_.occurrence_id)
    if not source.gives_certificates or source.ends_at(occurrence) > timezone.now():
        raise CertificateUnavailable
    person = source.person_model.objects.filter(pk=mark_.person_id).first()
    details = source.certificate(occurrence, person) if person else None
    if details is None:
        raise CertificateUnavailable
    return details
