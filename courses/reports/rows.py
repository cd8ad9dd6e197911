"""The rows of the training reports (registered in courses.reports).

"Trained" means marked present or late on a session's register. Each report is one or two
queries whatever the number of sessions, bookings or marks, and counts only the sessions in
the requesting user's scope (`user=`, see `_sessions_of`). Counts are raw here: the report
view suppresses small ones (portal.reports.suppression) before anyone sees them.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from courses import payments as course_payments
from courses import selectors
from courses.models import Attendee, Audience, Booking, PaymentMethod, Session
from courses.registers import confirmed_attendees
from portal.accounts.models import Sector
from portal.attendance.models import ATTENDED, AttendanceMark, AttendanceStatus, FeedbackResponse
from portal.money import pounds_number
from portal.payments.models import Payment
from portal.places import HoldingStatus
from portal.reports.registry import Percent

INDIVIDUAL = "individual"
TOTAL = "Total"
# A card payment's money was taken in these states (refunded_pence says how much went back).
TAKEN_STATES = (
    Payment.Status.PAID,
    Payment.Status.PARTIALLY_REFUNDED,
    Payment.Status.REFUNDED,
)


def _sessions_of(user) -> QuerySet[Session]:
    """The sessions a report counts for this user (the staff scope: the whole service for
    commissioners and superusers, a coordinator's localities, a trainer's own sessions).
    `user=None` is for callers answering no one (tests, the shell): the whole service."""
    return selectors.sessions_in_figures_of(user)


def _session_marks() -> QuerySet[AttendanceMark]:
    return AttendanceMark.objects.filter(
        occurrence_type=ContentType.objects.get_for_model(Session),
        person_type=ContentType.objects.get_for_model(Attendee),
    )


def _held_between(queryset: QuerySet, prefix: str, date_from: date | None, date_to: date | None):
    if date_from:
        queryset = queryset.filter(**{f"{prefix}starts_at__date__gte": date_from})
    if date_to:
        queryset = queryset.filter(**{f"{prefix}starts_at__date__lte": date_to})
    return queryset


def attendees_with_marks(date_from: date | None = None, date_to: date | None = None, user=None):
    """Attendees whose register mark is known, annotated with it as `mark`."""
    mark = Subquery(
        _session_marks()
        .filter(occurrence_id=OuterRef("session_id"), person_id=OuterRef("pk"))
        .values("status")[:1]
    )
    queryset = Attendee.objects.annotate(mark=mark).filter(
        mark__isnull=False, session__in=_sessions_of(user)
    )
    return _held_between(queryset, "session__", date_from, date_to)


def trained(date_from: date | None = None, date_to: date | None = None, user=None):
    return attendees_with_marks(date_from, date_to, user).filter(mark__in=ATTENDED)


def _with_total(rows: list[dict], label_key: str, trained_people: QuerySet) -> list[dict]:
    """The rows and, when there are any, a total row: every place, and the different people
    (someone trained in two sectors counts once, so this is not the sum of the rows)."""
    if not rows:
        return rows
    people = trained_people.aggregate(n=Count("email_index", distinct=True))["n"]
    total = {label_key: TOTAL, "places": sum(row["places"] for row in rows), "people": people}
    return [*rows, total]


def trained_by_sector(date_from=None, date_to=None, user=None) -> list[dict]:
    """By the sector of the organisation booked for. Council staff book as themselves (their
    council address is what lets them), so a council-staff place with no organisation is the
    council's; only other places booked for oneself are "individual". Then the total."""
    sectors = dict(Sector.choices)
    own_sector = Case(
        When(booking__audience=Audience.COUNCIL_STAFF, then=Value(Sector.COUNCIL)),
        default=Value(INDIVIDUAL),
    )
    rows = (
        trained(date_from, date_to, user)
        .annotate(sector=Coalesce("booking__organisation__sector", own_sector))
        .values("sector")
        .annotate(places=Count("pk"), people=Count("email_index", distinct=True))
        .order_by("sector")
    )
    rows = [
        {**row, "sector": sectors.get(row["sector"], "Individual (no organisation)")}
        for row in rows
    ]
    return _with_total(rows, "sector", trained(date_from, date_to, user))


def trained_by_audience(date_from=None, date_to=None, user=None) -> list[dict]:
    audiences = dict(Audience.choices)
    rows = (
        trained(date_from, date_to, user)
        .values(audience=F("booking__audience"))
        .annotate(places=Count("pk"), people=Count("email_index", distinct=True))
        .order_by("audience")
    )
    rows = [{**row, "audience": audiences.get(row["audience"], row["audience"])} for row in rows]
    return _with_total(rows, "audience", trained(date_from, date_to, user))


def trained_by_month(date_from=None, date_to=None, user=None) -> list[dict]:
    rows = (
        trained(date_from, date_to, user)
        .annotate(
            month_start=TruncMonth("session__starts_at", tzinfo=timezone.get_current_timezone())
        )
        .values("month_start")
        .annotate(places=Count("pk"), people=Count("email_index", distinct=True))
        .order_by("month_start")
    )
    rows = [{**row, "month": f"{row['month_start']:%B %Y}"} for row in rows]
    return _with_total(rows, "month", trained(date_from, date_to, user))


def _status_counts() -> dict:
    return {status: Count("pk", filter=Q(mark=status)) for status in AttendanceStatus.values}


def _with_rates(row: dict) -> dict:
    marked = sum(row[status] for status in AttendanceStatus.values)
    return {
        **row,
        "marked": marked,
        "attendance_rate": Percent.of(row["present"] + row["late"], marked),
        "no_show_rate": Percent.of(row["absent"], marked),
    }


def attendance_by_session(date_from=None, date_to=None, user=None) -> list[dict]:
    """Sessions that have started and were not cancelled, with their registers' counts.
    A session whose register was not taken shows its bookings and no rates."""
    sessions = _held_between(
        _sessions_of(user)
        .filter(starts_at__lte=timezone.now())
        .exclude(status=Session.Status.CANCELLED),
        "",
        date_from,
        date_to,
    )

    def count(statuses) -> Coalesce:
        return Coalesce(
            Subquery(
                _session_marks()
                .filter(occurrence_id=OuterRef("pk"), status__in=statuses)
                .order_by()
                .values("occurrence_id")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            0,
        )

    booked = Coalesce(
        Subquery(
            confirmed_attendees()
            .filter(session_id=OuterRef("pk"))
            .order_by()
            .values("session_id")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )
    rows = (
        sessions.annotate(
            booked=booked, **{status: count([status]) for status in AttendanceStatus.values}
        )
        .values(
            "pk", "starts_at", "booked", *AttendanceStatus.values, course_title=F("course__title")
        )
        .order_by("starts_at", "pk")
    )
    return [_with_rates({**row, "starts_at": timezone.localtime(row["starts_at"])}) for row in rows]


def attendance_by_course(date_from=None, date_to=None, user=None) -> list[dict]:
    rows = (
        attendees_with_marks(date_from, date_to, user)
        .values(course=F("session__course__title"))
        .annotate(sessions=Count("session", distinct=True), **_status_counts())
        .order_by("course")
    )
    return [_with_rates(row) for row in rows]


def _card_kept():
    """Per booking: what its card payments took, less what was refunded (or is being)."""
    return Coalesce(
        Subquery(
            Payment.objects.filter(
                purpose=course_payments.PURPOSE,
                reference=OuterRef("reference"),
                status__in=TAKEN_STATES,
            )
            .order_by()
            .values("reference")
            .annotate(kept=Sum(F("amount_pence") - F("refunded_pence")))
            .values("kept"),
            output_field=IntegerField(),
        ),
        0,
    )


def income_by_course_and_month(date_from=None, date_to=None, user=None) -> list[dict]:
    """What was actually taken for priced places, by course and month of the session: card
    payments less their refunds, plus what invoiced organisations owe (cancellations already
    taken off, so a late cancellation's kept share counts) less credits owed back to them
    after they paid. Places are those confirmed now."""
    bookings = _held_between(
        Booking.objects.filter(unit_price_pence__gt=0, session__in=_sessions_of(user)),
        "session__",
        date_from,
        date_to,
    )
    taken = Case(
        When(
            payment_method=PaymentMethod.INVOICE,
            then=F("invoice_owed_pence") - F("invoice_credit_pence"),
        ),
        default=_card_kept(),
        output_field=IntegerField(),
    )
    rows = (
        bookings.annotate(
            month_start=TruncMonth("session__starts_at", tzinfo=timezone.get_current_timezone()),
            taken=taken,
        )
        .values("month_start", course=F("session__course__title"))
        .annotate(
            places=Coalesce(Sum("quantity", filter=Q(status=HoldingStatus.CONFIRMED)), 0),
            pence=Coalesce(Sum("taken"), 0),
        )
        .filter(Q(places__gt=0) | Q(pence__gt=0))
        .order_by("month_start", "course")
    )
    return [
        {
            **row,
            "month": f"{row['month_start']:%B %Y}",
            "income": pounds_number(row["pence"]),
        }
        for row in rows
    ]


def feedback_by_course(date_from=None, date_to=None, user=None) -> list[dict]:
    sessions = _held_between(_sessions_of(user), "", date_from, date_to)
    course = Subquery(Session.objects.filter(pk=OuterRef("occurrence_id")).values("course__title"))
    rows = (
        FeedbackResponse.objects.filter(
            occurrence_type=ContentType.objects.get_for_model(Session),
            occurrence_id__in=sessions.values("pk"),
        )
        .annotate(course=course)
        .values("course")
        .annotate(
            responses=Count("pk"),
            average=Avg("rating"),
            good=Count("pk", filter=Q(rating__gte=4)),
            not_good=Count("pk", filter=Q(rating__lt=4)),
        )
        .order_by("course")
    )
    return [
        {
            **row,
            "average": Decimal(row["average"]).quantize(Decimal("0.1"), ROUND_HALF_UP),
            "good_share": Percent.of(row["good"], row["responses"]),
        }
        for row in rows
    ]
