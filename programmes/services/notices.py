"""What participants are told, always discreetly (whatever their plan says about naming the
service): the neutral sender and subject, no programme or service name, and the venue only
when they chose to be told the place (`SafeContactPlan.location_in_calendar`). Messages go
through portal.notify, which uses only the channels and times their plan marks safe."""

from __future__ import annotations

import secrets
from dataclasses import replace

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from portal import calendars, notify
from portal.places import HoldingStatus
from programmes.models import Enrolment, ProgrammeSession
from programmes.models.enrolments import token_digest

SUBJECT = "Your appointment"


def recipient(enrolment: Enrolment) -> notify.Recipient:
    plan = enrolment.plan
    return replace(notify.Recipient.for_plan(plan), discreet=True)


def plans_of(enrolment: Enrolment) -> list:
    """The enrolment's plan and, when it is linked to an account with a plan of its own,
    that one too: both must allow what is shown."""
    from portal.contact.selectors import plan_of

    plans = [enrolment.plan]
    own = plan_of(enrolment.user) if enrolment.user_id else None
    if own is not None and own.pk != enrolment.plan_id:
        plans.append(own)
    return plans


def may_name(enrolment: Enrolment) -> bool:
    """Whether their own pages may name the programme (both plans allow the service named)."""
    return all(plan.service_may_be_named for plan in plans_of(enrolment))


def place_of(enrolment: Enrolment) -> str:
    """Where it is, for someone who chose to be told (else nothing)."""
    if not all(plan.location_in_calendar for plan in plans_of(enrolment)):
        return ""
    cohort = enrolment.cohort
    return "Online" if cohort.online else cohort.venue


def calendar_event(enrolment: Enrolment, session: ProgrammeSession) -> calendars.CalendarEvent:
    return calendars.CalendarEvent(
        uid=f"{enrolment.calendar_uid}-{session.pk}@appointments.portal",
        sequence=enrolment.sequence + session.sequence,
        start=session.starts_at,
        end=session.ends_at,
        title=calendars.NEUTRAL_TITLE,
        location=place_of(enrolment),
    )


def their_weeks(enrolment: Enrolment, *, upcoming: bool = True) -> list[ProgrammeSession]:
    weeks = enrolment.cohort.sessions.filter(week__gte=enrolment.joined_week, cancelled=False)
    if upcoming:
        weeks = weeks.filter(ends_at__gt=timezone.now())
    return list(weeks.order_by("starts_at"))


def _attachments(enrolment: Enrolment, sessions, *, cancel: bool = False) -> list:
    build = calendars.cancellation if cancel else calendars.invite
    method = "CANCEL" if cancel else "REQUEST"
    files = []
    for n, session in enumerate(sessions, start=1):
        ics = build(calendar_event(enrolment, session), discreet=True)
        attachment = calendars.as_attachment(ics, method=method)
        files.append(replace(attachment, filename=f"appointment-{n}.ics"))
    return files


def _send(enrolment: Enrolment, kind: str, template: str, context: dict, attachments=()):
    return notify.send(
        recipient(enrolment),
        notify.Message(
            kind=kind,
            template=f"programmes/emails/{template}",
            subject=SUBJECT,
            context={"where": place_of(enrolment), **context},
            attachments=list(attachments),
            concerns=enrolment,
        ),
    )


def place_changed(enrolment: Enrolment, previous: str) -> None:
    """The places engine moved the enrolment (inside its transaction)."""
    status = enrolment.status
    if status == HoldingStatus.OFFERED:
        token = secrets.token_urlsafe(32)
        enrolment.token_digest = token_digest(token)
        enrolment.save(update_fields=["token_digest"])
        link = settings.SITE_URL + reverse("programmes_answer", args=[token])
        weeks = their_weeks(enrolment)
        _send(
            enrolment,
            "programme_offer",
            "offer",
            {"link": link, "first": weeks[0] if weeks else None, "until": enrolment.expires_at},
        )
    elif status == HoldingStatus.CONFIRMED:
        from programmes.services.enrolments import next_week

        upcoming = next_week(enrolment.cohort)
        enrolment.joined_week = (
            upcoming.week if enrolment.cohort.programme.is_rolling and upcoming else 1
        )
        enrolment.accepted_at = timezone.now()
        enrolment.sequence += 1
        enrolment.save(update_fields=["joined_week", "accepted_at", "sequence"])
        weeks = their_weeks(enrolment)
        _send(
            enrolment,
            "programme_confirmed",
            "confirmed",
            {"weeks": weeks},
            _attachments(enrolment, weeks),
        )
    elif status == HoldingStatus.WAITING and previous == "":
        _send(enrolment, "programme_waiting", "waiting", {})
    elif (
        status == HoldingStatus.CANCELLED
        and previous in (HoldingStatus.OFFERED, HoldingStatus.WAITING)
        and enrolment.cohort.is_cancelled
    ):
        _send(enrolment, "programme_ended", "ended", {"withdrawn": False})
    elif status in (HoldingStatus.CANCELLED, HoldingStatus.EXPIRED) and (
        previous == HoldingStatus.CONFIRMED
    ):
        enrolment.sequence += 1
        enrolment.save(update_fields=["sequence"])
        weeks = their_weeks(enrolment)
        _send(
            enrolment,
            "programme_ended",
            "ended",
            {"withdrawn": enrolment.is_withdrawn},
            _attachments(enrolment, weeks, cancel=True),
        )


def session_changed(session: ProgrammeSession) -> int:
    """A week moved or cancelled: every participant expected that week is told, with the
    calendar update or cancellation of that one week."""
    told = 0
    enrolments = session.cohort.holdings.filter(
        status=HoldingStatus.CONFIRMED, joined_week__lte=session.week
    ).select_related("plan__user", "cohort__locality")
    for enrolment in enrolments:
        _send(
            enrolment,
            "programme_week_cancelled" if session.cancelled else "programme_week_moved",
            "week_changed",
            {"session": session, "cancelled": session.cancelled},
            _attachments(enrolment, [session], cancel=session.cancelled),
        )
        told += 1
    return told
