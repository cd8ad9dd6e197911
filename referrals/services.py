"""Every write to a referral: submitting one (self or professional), contact attempts,
outcomes, allocation, reallocation and transfer, case notes, closing a worker's case, the
senior review of a referral made without consent. Each runs in one transaction with its
audit row, and raises `ReferralError` (naming the form field it concerns) for what the rules
refuse."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from portal import audit, notify
from portal.contact.models import SafeContactPlan
from portal.contact.windows import next_safe_time
from portal.localities import Locality
from portal.models import OutboxMessage

from . import dash, selectors
from .models import (
    CHANNEL_FLAGS,
    OPEN_STATUSES,
    AdviceContact,
    AttemptOutcome,
    CaseNote,
    Closure,
    ContactAttempt,
    Handover,
    Kind,
    Outcome,
    Referral,
    Route,
    Status,
)

SENIOR_REVIEW_WITHIN = timedelta(hours=48)
# Outcomes that need a reason written down.
REASON_NEEDED = {Outcome.CLOSED, Outcome.SIGNPOST}
OUTCOME_STATUS = {
    Outcome.COMMUNITY_WORKER: Status.ALLOCATED,
    Outcome.COUNSELLING_INDIVIDUAL: Status.REFERRED_ON,
    Outcome.COUNSELLING_FAMILY: Status.REFERRED_ON,
    Outcome.PROGRAMME: Status.REFERRED_ON,
    Outcome.DROP_IN: Status.REFERRED_ON,
    Outcome.SIGNPOST: Status.REFERRED_ON,
    Outcome.HIGH_RISK: Status.HIGH_RISK,
    Outcome.CLOSED: Status.CLOSED,
}


class ReferralError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass
class Person:
    """The person the referral is for."""

    name: str
    email: str = ""
    phone: str = ""
    date_of_birth: str = ""  # ISO date, or ""

    @property
    def identity(self) -> str:
        return f"{self.name}|{self.date_of_birth}" if self.name and self.date_of_birth else ""


@dataclass
class Risk:
    """What the referrer told us about risk (professional referrals)."""

    answers: dict[int, str] = field(default_factory=dict)
    judgement: str = ""
    incidents_last_year: int | None = None
    stated_level: str = ""  # a police report's risk level


def submit(*, submission_key: str = "", **values) -> Referral:
    """Record a referral (`record`), once per `submission_key`: a form sent again with the
    key of one already recorded (a double click, a resend, two requests racing) gives back
    that referral and sends nothing more."""
    if not submission_key:
        return record(**values)
    try:
        return _submitted_before(submission_key) or record(submission_key=submission_key, **values)
    except IntegrityError:
        # The same form recorded by a request racing this one (the key is unique).
        earlier = _submitted_before(submission_key)
        if earlier is None:
            raise
        return earlier


def _submitted_before(submission_key: str) -> Referral | None:
    referral = Referral.objects.filter(submission_key=submission_key).first()
    if referral is not None:
        referral.acknowledged = (
            OutboxMessage.objects.filter(kind="referral_received", concerns_id=str(referral.pk))
            .exclude(status=notify.Status.SUPPRESSED)
            .exists()
        )
    return referral


@transaction.atomic
def record(
    *,
    kind: str,
    source: str,
    locality: Locality,
    person: Person,
    plan_values: dict,
    details: dict,
    risk: Risk | None = None,
    now: datetime | None = None,
    recorded_by=None,
    submission_key: str | None = None,
) -> Referral:
    """Record a referral with its safe-contact plan, route it by risk, tell the locality's
    coordinators that a referral is waiting, and (for someone who asked for themselves)
    acknowledge it by email when email is safe. `details` are Referral fields;
    `recorded_by` is the member of staff who typed it in (a helpline call)."""
    now = now or timezone.now()
    risk = risk or Risk()
    repeat = selectors.is_repeat(
        email=person.email, phone=person.phone, identity=person.identity, now=now
    )
    assessment = dash.assess(
        risk.answers,
        judgement=risk.judgement,
        incidents_last_year=risk.incidents_last_year,
        repeat=repeat,
        stated_level=risk.stated_level,
    )
    plan = SafeContactPlan.objects.create(
        name=person.name, email=person.email, phone=person.phone, **plan_values
    )
    referral = Referral(
        kind=kind,
        source=source,
        locality=locality,
        plan=plan,
        date_of_birth=person.date_of_birth,
        identity=person.identity,
        risk_level=assessment.level,
        risk_reasons=list(assessment.reasons),
        route=Route.HIGH_RISK if assessment.high_risk else Route.COMMUNITY,
        dash_answers=json.dumps({str(k): v for k, v in sorted(risk.answers.items())})
        if risk.answers
        else "",
        judgement=risk.judgement,
        incidents_last_year=""
        if risk.incidents_last_year is None
        else str(risk.incidents_last_year),
        created_at=now,
        submission_key=submission_key or None,
        **details,
    )
    if referral.consent_given is False:
        referral.senior_review_due_at = now + SENIOR_REVIEW_WITHIN
    referral.save()
    audit.record(recorded_by, audit.Action.CREATE, referral, by=kind)
    audit.record(recorded_by, audit.Action.CREATE, plan, by="referral")
    _tell_coordinators(referral)
    # Whether the person was sent an acknowledgement (the confirmation page says so).
    referral.acknowledged = False
    if kind == Kind.SELF and plan.email and plan.email_is_safe:
        sent = notify.send(
            plan,
            notify.Message(
                kind="referral_received",
                template="referrals/emails/received",
                subject=f"{settings.SERVICE_NAME}: we have your request for support",
                context={"reference": referral.reference},
                concerns=referral,
            ),
        )
        referral.acknowledged = sent.status != notify.Status.SUPPRESSED
    return referral


def _tell_coordinators(referral: Referral) -> None:
    """Staff are told only that a referral is waiting, with a link: nothing about it."""
    url = settings.SITE_URL + reverse("referrals_detail", args=[referral.pk])
    for coordinator in selectors.coordinators_of(referral.locality):
        notify.send(
            coordinator,
            notify.Message(
                kind="referral_waiting",
                template="referrals/emails/waiting",
                subject="A new referral is waiting",
                context={"url": url},
                concerns=referral,
            ),
        )


def safe_channels(plan: SafeContactPlan) -> list[str]:
    """The attempt channels the plan marks safe (values of AttemptChannel)."""
    return [channel for channel, flag in CHANNEL_FLAGS.items() if getattr(plan, flag)]


def next_safe_window(plan: SafeContactPlan, at: datetime) -> datetime | None:
    """When it is next safe to contact the person (`at` itself when it is safe now)."""
    if not safe_channels(plan):
        return None
    return next_safe_time(plan.safe_days, plan.safe_windows, at)


@transaction.atomic
def log_attempt(
    referral: Referral,
    *,
    by,
    channel: str,
    outcome: str,
    note: str = "",
    at: datetime | None = None,
) -> ContactAttempt:
    """Log a try at contacting the person. A channel their plan does not mark safe is
    refused. Once `REFERRALS_FAILED_ATTEMPTS_FOR_REVIEW` tries have failed with none
    succeeding, the referral is flagged for review (never closed)."""
    referral = Referral.objects.select_for_update().select_related("plan").get(pk=referral.pk)
    at = at or timezone.now()
    if channel not in safe_channels(referral.plan):
        raise ReferralError("Their safe-contact plan does not mark that way as safe", "channel")
    if outcome == AttemptOutcome.VOICEMAIL and not referral.plan.voicemail_allowed:
        raise ReferralError("Their safe-contact plan does not allow a voicemail", "outcome")
    attempt = ContactAttempt.objects.create(
        referral=referral,
        channel=channel,
        outcome=outcome,
        at=at,
        inside_safe_window=next_safe_time(referral.plan.safe_days, referral.plan.safe_windows, at)
        == at,
        by=by,
        note=note,
    )
    changed = ["updated_at"]
    if referral.status == Status.NEW:
        referral.status = Status.CONTACTING
        changed.append("status")
    if attempt.succeeded and referral.first_contact_at is None:
        referral.first_contact_at = at
        changed.append("first_contact_at")
    attempts = list(referral.attempts.values_list("outcome", flat=True))
    failed = sum(1 for o in attempts if o != AttemptOutcome.SPOKE)
    if (
        AttemptOutcome.SPOKE not in attempts
        and failed >= settings.REFERRALS_FAILED_ATTEMPTS_FOR_REVIEW
        and not referral.flagged_for_review
    ):
        referral.flagged_for_review = True
        changed.append("flagged_for_review")
    referral.save(update_fields=changed)
    audit.record(by, audit.Action.CHANGE, referral, change="contact attempt", attempt=attempt.pk)
    return attempt


def _check_worker(worker, locality: Locality) -> None:
    if worker is None:
        raise ReferralError("Choose the community worker", "worker")
    if not selectors.community_workers_in(locality).filter(pk=worker.pk).exists():
        raise ReferralError(f"Choose a community worker in {locality.name}", "worker")


@transaction.atomic
def decide(referral: Referral, *, by, outcome: str, reason: str = "", worker=None) -> Referral:
    """The outcome of triage. A high-risk referral is passed to the MARAC and IDVA route
    (or closed with a reason), never offered the community services; a coordinator may put
    a community referral on the high-risk route, never take one off it."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status not in OPEN_STATUSES:
        raise ReferralError("This referral has already been decided", "outcome")
    if referral.high_risk and outcome not in (Outcome.HIGH_RISK, Outcome.CLOSED):
        raise ReferralError(
            "This referral is high risk: pass it to the MARAC and IDVA route", "outcome"
        )
    reason = reason.strip()
    if outcome in REASON_NEEDED and not reason:
        raise ReferralError("Give the reason", "reason")
    if outcome == Outcome.COMMUNITY_WORKER:
        _check_worker(worker, referral.locality)
        referral.allocated_to = worker
    if outcome == Outcome.HIGH_RISK:
        referral.route = Route.HIGH_RISK
        referral.risk_level = dash.HIGH
    referral.outcome = outcome
    referral.outcome_reason = reason
    referral.status = OUTCOME_STATUS[Outcome(outcome)]
    referral.decided_at = timezone.now()
    referral.save()
    audit.record(by, audit.Action.CHANGE, referral, change="outcome", outcome=outcome)
    return referral


@transaction.atomic
def hand_over(
    referral: Referral, *, by, reason: str, worker=None, locality: Locality | None = None
) -> Handover:
    """Reallocate to another community worker, or transfer to another locality (with a
    worker there, or back to that locality's queue), always with the reason recorded."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    reason = reason.strip()
    if not reason:
        raise ReferralError("Give the reason for the change", "reason")
    to_locality = locality or referral.locality
    if to_locality == referral.locality and worker in (None, referral.allocated_to):
        raise ReferralError("Choose another community worker or another locality", "worker")
    if worker is not None:
        _check_worker(worker, to_locality)
    elif referral.allocated_to_id and to_locality == referral.locality:
        raise ReferralError("Choose the community worker", "worker")
    handover = Handover.objects.create(
        referral=referral,
        from_worker=referral.allocated_to,
        to_worker=worker,
        from_locality=referral.locality,
        to_locality=to_locality,
        reason=reason,
        by=by,
    )
    referral.locality = to_locality
    referral.allocated_to = worker
    if worker is None and referral.status == Status.ALLOCATED:
        # Transferred with no one to take it yet: back to the new locality's queue.
        referral.status, referral.outcome, referral.decided_at = Status.NEW, "", None
    referral.save()
    audit.record(by, audit.Action.CHANGE, referral, change="handover", handover=handover.pk)
    if to_locality != handover.from_locality:
        _tell_coordinators(referral)
    return handover


@transaction.atomic
def close_case(referral: Referral, *, by, closure: str, note: str = "") -> Referral:
    """End community worker support with why it ended (and an optional note). The worker
    stays named on the closed case; retention counts its period from `closed_at`."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != Status.ALLOCATED:
        raise ReferralError("Only a case with a community worker can be closed here", "closure")
    if closure not in Closure.values:
        raise ReferralError("Choose why the case is closing", "closure")
    referral.status = Status.CLOSED
    referral.closure = closure
    referral.closure_note = note.strip()
    referral.closed_at = timezone.now()
    referral.closed_by = by
    referral.save()
    audit.record(by, audit.Action.CHANGE, referral, change="closed", closure=closure)
    return referral


@transaction.atomic
def add_note(referral: Referral, *, by, text: str) -> CaseNote:
    text = text.strip()
    if not text:
        raise ReferralError("Write the note", "text")
    note = CaseNote.objects.create(referral=referral, author=by, text=text)
    audit.record(by, audit.Action.CREATE, note, referral=referral.pk)
    return note


@transaction.atomic
def complete_senior_review(referral: Referral, *, by) -> Referral:
    """A senior has reviewed a referral made without consent, on its lawful basis."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not referral.senior_review_pending:
        raise ReferralError("This referral has no senior review waiting")
    referral.senior_reviewed_at = timezone.now()
    referral.senior_reviewed_by = by
    referral.save(update_fields=["senior_reviewed_at", "senior_reviewed_by", "updated_at"])
    audit.record(by, audit.Action.CHANGE, referral, change="senior review")
    return referral


@transaction.atomic
def record_advice(
    *,
    by,
    caller_type: str,
    topic: str,
    advice: str,
    locality: Locality | None = None,
    called_at: datetime | None = None,
) -> AdviceContact:
    """A helpline call that was advice only. Nothing about the caller is asked for."""
    advice = advice.strip()
    if not advice:
        raise ReferralError("Write what was advised", "advice")
    contact = AdviceContact.objects.create(
        caller_type=caller_type,
        topic=topic,
        locality=locality,
        advice=advice,
        called_at=called_at or timezone.now(),
        recorded_by=by,
    )
    audit.record(by, audit.Action.CREATE, contact)
    return contact
