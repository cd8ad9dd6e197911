"""The onboarding pipeline: who may move an application where, and what completes by itself.

Every change locks the application row (`select_for_update`) and writes a `StageChange`, in
one transaction; evidence arriving (a reference answered, a DBS outcome, a register mark, a
signed agreement) calls `complete_by_evidence`, which moves on through every stage whose
evidence is all there."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from portal import audit, notify
from volunteers import selectors
from volunteers.models import (
    CLOSED,
    EVIDENCE_STAGES,
    PIPELINE,
    Application,
    DBSCheck,
    Note,
    Reference,
    Stage,
    StageChange,
    dbs_satisfies,
)

# The stages a coordinator moves on by hand, to the next one.
MANUAL_STAGES = {Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEW}
MAX_REASON = 2000


class StageError(Exception):
    """A move the pipeline refuses; the message is fit to show to the coordinator."""


def next_stage(stage: str) -> str | None:
    if stage not in PIPELINE or stage == Stage.ACTIVE:
        return None
    return PIPELINE[PIPELINE.index(stage) + 1]


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def _change(
    application: Application,
    to_stage: str,
    *,
    by=None,
    reason: str = "",
    automatic: bool = False,
    override: bool = False,
) -> None:
    StageChange.objects.create(
        application=application,
        from_stage=application.stage,
        to_stage=to_stage,
        by=by if getattr(by, "is_authenticated", False) else None,
        reason=reason,
        automatic=automatic,
        override=override,
    )
    application.stage = to_stage
    application.stage_entered_at = timezone.now()
    application.save(update_fields=["stage", "stage_entered_at", "held_from", "updated_at"])
    _entered(application)


def _entered(application: Application) -> None:
    """What a stage starts with: the reference requests, the welcome."""
    from volunteers.services import references

    if application.stage == Stage.REFERENCES:
        references.request_references(application)
    elif application.stage == Stage.ACTIVE:
        notify.send(
            application.user,
            notify.Message(
                kind="volunteers.active",
                template="volunteers/emails/active",
                subject="You are now an active volunteer",
                context={"application": application},
                concerns=application,
            ),
        )


def evidence_missing(application: Application, stage: str) -> str:
    """What the stage still waits for, or "" when its evidence is all there."""
    if stage == Stage.REFERENCES:
        received = application.references.filter(status=Reference.Status.RECEIVED).count()
        return "" if received >= 2 else f"References: {received} of 2 received."
    if stage == Stage.DBS:
        check = DBSCheck.objects.filter(application=application).first()
        needed = selectors.required_dbs_level(application)
        if check is None:
            return "DBS check: no outcome recorded."
        if not check.satisfactory:
            return "DBS check: the outcome was not accepted."
        if needed and not dbs_satisfies(check.level, needed):
            return f"DBS check: the roles need {needed}, the check is {check.level}."
        if check.lapsed():
            return "DBS check: it has lapsed and needs renewing."
        return ""
    if stage == Stage.TRAINING:
        today = timezone.localdate()
        missing = [
            status.course.title
            for status in selectors.training_status(application)
            if not status.done(today)
        ]
        return f"Training not attended (or lapsed): {', '.join(missing)}." if missing else ""
    if stage == Stage.AGREEMENT:
        return "" if application.agreement_signed_at else "Volunteer agreement: not signed yet."
    return ""


def missing_for_active(application: Application) -> list[str]:
    return [
        message
        for stage in (Stage.REFERENCES, Stage.DBS, Stage.TRAINING, Stage.AGREEMENT)
        if (message := evidence_missing(application, stage))
    ]


@transaction.atomic
def complete_by_evidence(application: Application) -> Application:
    """Move on through every evidence stage whose evidence has arrived."""
    application = _locked(application)
    while application.stage in EVIDENCE_STAGES and not evidence_missing(
        application, application.stage
    ):
        _change(application, next_stage(application.stage), automatic=True)
    return application


@transaction.atomic
def move(application: Application, to_stage: str, *, by, reason: str = "") -> Application:
    """A coordinator's move: on to the next stage (from applied, screening call, interview),
    on hold or not progressed (with a reason), or back from hold."""
    application = _locked(application)
    reason = reason.strip()
    if len(reason) > MAX_REASON:
        raise StageError(f"Keep the reason under {MAX_REASON} characters.")
    current = application.stage
    if current in CLOSED or current == Stage.DRAFT:
        raise StageError("This application is closed: it cannot be moved.")
    if to_stage in (Stage.ON_HOLD, Stage.NOT_PROGRESSED):
        if current in (Stage.ACTIVE, to_stage):
            raise StageError(
                f"An application that is {application.get_stage_display().lower()} "
                "cannot be moved there."
            )
        if not reason:
            raise StageError("Give the reason: it is kept with the application.")
        if to_stage == Stage.ON_HOLD:
            application.held_from = current
        _change(application, to_stage, by=by, reason=reason)
        return application
    if current == Stage.ON_HOLD:
        if to_stage != application.held_from:
            raise StageError("An application on hold goes back to the stage it was held at.")
        application.held_from = ""
        _change(application, to_stage, by=by, reason=reason)
        return complete_by_evidence(application)
    if to_stage == Stage.ACTIVE and current != Stage.AGREEMENT:
        raise StageError(
            "No one becomes active without references, a DBS outcome, the required training "
            "and a signed agreement, unless you override with a reason."
        )
    if to_stage != next_stage(current):
        raise StageError("Applications move on one stage at a time.")
    if current not in MANUAL_STAGES:
        raise StageError(
            f"{application.get_stage_display()} completes by itself when its evidence arrives "
            f"({evidence_missing(application, current) or 'it is all there'})."
        )
    _change(application, to_stage, by=by, reason=reason)
    return complete_by_evidence(application)


@transaction.atomic
def override_to_active(application: Application, *, by, reason: str) -> Application:
    """Make the applicant active without all the evidence, recording why and what was
    missing (the reason is kept, encrypted, with the application and its history)."""
    application = _locked(application)
    reason = reason.strip()
    if not reason:
        raise StageError("Give the reason for the override: it is kept with the application.")
    if len(reason) > MAX_REASON:
        raise StageError(f"Keep the reason under {MAX_REASON} characters.")
    if application.stage in CLOSED or application.stage in (Stage.DRAFT, Stage.ACTIVE):
        raise StageError("Only an application in the pipeline can be made active.")
    missing = missing_for_active(application)
    application.overridden_by = by
    application.override_reason = reason
    application.held_from = ""
    application.save(update_fields=["overridden_by", "override_reason", "held_from"])
    recorded = reason + ("\nMissing: " + " ".join(missing) if missing else "")
    _change(application, Stage.ACTIVE, by=by, reason=recorded, override=True)
    audit.record(by, audit.Action.CHANGE, application, override=True, missing=missing)
    return application


def training_attended(user) -> None:
    """A register mark for this person: their training stage may now be complete."""
    for application in Application.objects.filter(user=user, stage=Stage.TRAINING):
        complete_by_evidence(application)


@transaction.atomic
def add_note(application: Application, *, by, text: str) -> Note:
    text = text.strip()
    if not text:
        raise StageError("Write the note.")
    if len(text) > 5000:
        raise StageError("Keep a note under 5000 characters.")
    note = Note.objects.create(application=application, author=by, text=text)
    audit.record(by, audit.Action.CREATE, note, application=application.pk)
    return note
