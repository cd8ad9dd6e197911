"""Asking for and taking feedback after an occurrence, through signed links."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from portal import notify
from portal.attendance import selectors
from portal.attendance.models import ATTENDED, AttendanceMark, FeedbackResponse
from portal.attendance.registry import RegisterSource, sources
from portal.attendance.selectors import marks_of
from portal.attendance.services.certificates import certificate_token, series_certificate_token

FEEDBACK_SALT = "portal.attendance.feedback"
FEEDBACK_LINK_LIFETIME = timedelta(days=60)
# Feedback is asked for only about occurrences that ended this recently.
FEEDBACK_LOOKBACK = timedelta(days=14)

ALREADY_GIVEN = "You have already given feedback on this. Thank you."


class FeedbackLinkError(Exception):
    """A feedback link that cannot be used; the message is fit to show, and `status` is the
    page's HTTP status: 404 for a link we never made, 410 for one used up or expired."""

    def __init__(self, message: str, status: int = 404):
        super().__init__(message)
        self.status = status


def request_feedback(source: RegisterSource, occurrence) -> int:
    """Send the feedback form (with the certificate link) to everyone who attended and has
    not been asked yet. Runs inside the caller's transaction: the emails leave on commit.

    The certificate link is for this occurrence, or, where certificates are per series, for
    the series: only to those who completed it, once this was its last occurrence to end."""
    pending = list(
        marks_of(occurrence)
        .select_for_update()
        .filter(status__in=ATTENDED, feedback_requested_at__isnull=True)
    )
    if not pending:
        return 0
    people = source.people().in_bulk([m.person_id for m in pending])
    title = source.title(occurrence)
    certificate_links = _certificate_links(source, occurrence, pending)
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
            "certificate_url": certificate_links.get(mark_.person_id, ""),
            "for_series": source.certificate_per == "series",
        }
        notify.send(
            source.recipient(person),
            notify.Message(
                kind="attendance.feedback_request",
                template="attendance/emails/feedback_request",
                subject=f"How was {title}?",
                context=context,
                # Erasing the person erases the request (and its certificate link) too.
                concerns=person,
            ),
        )
        mark_.feedback_requested_at = now
    AttendanceMark.objects.bulk_update(pending, ["feedback_requested_at"])
    return len(pending)


def _certificate_links(source: RegisterSource, occurrence, marks) -> dict[int, str]:
    """person pk -> the certificate link their feedback request carries, if any."""
    if not source.gives_certificates:
        return {}
    if source.certificate_per == "occurrence":
        return {
            m.person_id: settings.SITE_URL
            + reverse("attendance:certificate_by_link", args=[certificate_token(m)])
            for m in marks
        }
    series = source.series_of(occurrence)
    if selectors.series_ended_at(source, series) is None:
        return {}
    return {
        row.person_id: settings.SITE_URL
        + reverse("attendance:series_certificate_by_link", args=[series_certificate_token(row)])
        for row in selectors.completions(source, [series.pk], completed=True).filter(
            person_id__in=[m.person_id for m in marks]
        )
        if selectors.certificate_due_at(source, series, row)
    }


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
