"""Reads that pages share: the catalogue, a course's sessions, a person's bookings."""

from __future__ import annotations

from datetime import datetime, time

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from courses.models import Attendee, Booking, CourseAudience, PaymentMethod, Session
from portal import places, scope
from portal.accounts.models import Organisation
from portal.accounts.selectors import verified_emails
from portal.crypto import blind_lookup
from portal.localities import Locality
from portal.places import ACTIVE, HoldingStatus


def upcoming_sessions(now: datetime | None = None) -> QuerySet[Session]:
    now = now or timezone.now()
    return places.with_places_taken(
        Session.objects.filter(
            status=Session.Status.SCHEDULED, starts_at__gt=now, course__live=True
        )
        .select_related("course", "locality")
        .prefetch_related("course__audiences")
    ).order_by("starts_at", "pk")


def where_choices() -> list[tuple[str, str]]:
    """The catalogue's "Where" filter: the in-person localities by slug, then online."""
    in_person = [(locality.slug, locality.name) for locality in Locality.objects.in_person()]
    return [("", "Anywhere"), *in_person, ("online", "Online")]


def catalogue(filters: dict, now: datetime | None = None) -> QuerySet[Session]:
    sessions = upcoming_sessions(now)
    if audience := filters.get("audience"):
        sessions = sessions.filter(
            Exists(
                CourseAudience.objects.filter(
                    course=OuterRef("course"), audience=audience, may_book=True
                )
            )
        )
    if topic := filters.get("topic"):
        sessions = sessions.filter(course__topics=topic)
    if where := filters.get("where"):
        sessions = (
            sessions.filter(online=True)
            if where == "online"
            else sessions.filter(locality__slug=where, online=False)
        )
    tz = timezone.get_current_timezone()
    if date_from := filters.get("date_from"):
        sessions = sessions.filter(starts_at__gte=datetime.combine(date_from, time.min, tz))
    if date_to := filters.get("date_to"):
        sessions = sessions.filter(starts_at__lte=datetime.combine(date_to, time.max, tz))
    availability = filters.get("availability")
    if availability == "available":
        sessions = sessions.filter(taken__lt=F("capacity"))
    elif availability == "full":
        sessions = sessions.filter(taken__gte=F("capacity"))
    return sessions


def bookings_of(user) -> QuerySet[Booking]:
    """Bookings the person made, and bookings where someone else named them (by an address
    they have verified: an account opened in someone else's name sees none of theirs)."""
    named = Attendee.objects.filter(
        booking=OuterRef("pk"), **blind_lookup("email", *verified_emails(user))
    )
    return (
        Booking.objects.filter(Q(booked_by=user) | Q(Exists(named)))
        .select_related("session__course")
        .prefetch_related("attendees")
        .order_by("session__starts_at", "pk")
    )


def status_for(booking: Booking, user, emails: list[str] | None = None) -> str:
    """What "My bookings" says for this person: the booking's status to the one who made it;
    to someone named in it, their own place's (cancelled or transferred away, perhaps, while
    the booking goes on). Uses the prefetched attendees, and `emails` (the person's verified
    addresses) when the caller has them already."""
    if booking.booked_by_id == user.pk:
        return booking.get_status_display()
    emails = set(verified_emails(user) if emails is None else emails)
    mine = [a for a in booking.attendees.all() if a.email.strip().lower() in emails]
    active = [a for a in mine if a.status == Attendee.Status.ACTIVE]
    if active or not mine:
        return booking.get_status_display()
    return max(mine, key=lambda a: a.pk).get_status_display()


def confirmed_places_of(user) -> QuerySet[Attendee]:
    """The person's places, for their calendar feed: by the addresses they have verified."""
    return Attendee.objects.filter(
        **blind_lookup("email", *verified_emails(user)),
        status=Attendee.Status.ACTIVE,
        booking__status=HoldingStatus.CONFIRMED,
        session__status=Session.Status.SCHEDULED,
    ).select_related("session__course", "booking", "user")


def places_of(user) -> QuerySet[Attendee]:
    """Every place (confirmed, held, offered or waiting) in the person's name, by the
    addresses they have verified: what they must be told of before booking again."""
    if not user.is_authenticated:
        return Attendee.objects.none()
    return Attendee.objects.filter(
        **blind_lookup("email", *verified_emails(user)),
        status=Attendee.Status.ACTIVE,
        booking__status__in=ACTIVE,
    ).select_related("booking")


def place_on(session: Session, user) -> Attendee | None:
    """The person's own place on this session (or waiting-list entry for it), if any."""
    return places_of(user).filter(session=session).first()


def sessions_with_a_place_of(user) -> set[int]:
    """Ids of the sessions the person already has a place on (or is waiting for)."""
    return set(places_of(user).values_list("session_id", flat=True))


def unpaid_invoices() -> QuerySet[Booking]:
    """Invoiced bookings with something owed that staff have not yet marked paid, and paid
    ones with a credit due to the organisation (places cancelled after it paid)."""
    return (
        Booking.objects.filter(payment_method=PaymentMethod.INVOICE)
        .filter(
            Q(invoice_owed_pence__gt=0, invoice_paid_at__isnull=True)
            | Q(invoice_credit_pence__gt=0, invoice_credited_at__isnull=True)
        )
        .select_related("session__course", "organisation", "booked_by")
        .order_by("created_at", "pk")
    )


# Staff scope (portal.scope): which sessions' people a member of staff may see.


def sessions_visible_to(user) -> QuerySet[Session]:
    """The sessions whose bookings, attendees and register this member of staff may see:
    every one for a superuser; for other staff, those in a locality they are assigned to
    (an online session with no locality counts as Online's), those assigned to them, and
    those they train. Commissioners see figures only: none. Every per-session staff view,
    export and register asks this, and answers 404 for a session outside it (the same
    answer as for one that does not exist)."""
    if not user.is_authenticated or scope.figures_only(user):
        return Session.objects.none()
    trains = Session.trainers.through.objects.filter(user_id=user.pk).values("session_id")
    online = Q(online=True, locality__isnull=True) if scope.assigned_online(user) else None
    return scope.visible(Session.objects.all(), user, own=Q(pk__in=trains), extra=online)


def sessions_in_figures_of(user) -> QuerySet[Session]:
    """The sessions counted in the reports this person sees: the whole service for a
    superuser or a commissioner (figures only), else the sessions visible to them."""
    if scope.sees_all_figures(user):
        return Session.objects.all()
    return sessions_visible_to(user)


def booking_visible_to(user, reference: str) -> Booking | None:
    """The booking with this reference if its session is in the staff member's scope
    (`sessions_visible_to`); None for one outside it, as for one that does not exist."""
    return (
        Booking.objects.filter(reference=reference, session__in=sessions_visible_to(user))
        .select_related("session__course", "booked_by", "booked_by_staff", "organisation")
        .first()
    )


# What the sessions a member of staff sees give them of the kinds courses shares with other
# apps (portal.scope.register_rule, from CoursesConfig.ready).


def payments_rule(user) -> Q:
    """The payments for the bookings of their sessions."""
    from courses.payments import PURPOSE

    bookings = Booking.objects.filter(session__in=sessions_visible_to(user))
    return Q(purpose=PURPOSE, reference__in=bookings.values("reference"))


def organisations_rule(user) -> Q:
    """The organisations that booked their sessions, and those that have booked nothing
    yet (nobody's in particular: a coordinator sets up invoicing before a first booking)."""
    booked = Booking.objects.filter(organisation__isnull=False)
    theirs = booked.filter(session__in=sessions_visible_to(user))
    return Q(pk__in=theirs.values("organisation_id")) | ~Q(pk__in=booked.values("organisation_id"))


def safe_contact_plans_rule(user) -> Q:
    """The plans of the people booked on their sessions: bookers and attendees with an
    account, and attendees without one (by the blind index of their email address)."""
    visible = sessions_visible_to(user)
    bookers = Booking.objects.filter(session__in=visible).values("booked_by_id")
    attendees = Attendee.objects.filter(session__in=visible)
    return (
        Q(user__in=bookers)
        | Q(user__in=attendees.filter(user__isnull=False).values("user_id"))
        | Q(user__isnull=True, email_index__in=attendees.values("email_index"))
    )


# Organisation admins: the bookings of the organisations they administer.


def organisations_administered_by(user) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(membership__user=user, membership__is_admin=True).order_by(
        "name"
    )


def may_manage_booking(user, booking: Booking) -> bool:
    """The person who made the booking, or an admin of the organisation it is for."""
    if booking.booked_by_id == user.pk:
        return True
    return booking.organisation_id is not None and (
        organisations_administered_by(user).filter(pk=booking.organisation_id).exists()
    )


def organisation_bookings(organisation: Organisation) -> QuerySet[Booking]:
    """Every booking made for the organisation, by any member (or by staff for one)."""
    return (
        Booking.objects.filter(organisation=organisation)
        .select_related("session__course", "booked_by")
        .prefetch_related("attendees")
        .order_by("-session__starts_at", "pk")
    )
