"""The applicant's side: a draft saved and resumed, sent once complete, withdrawn, signed."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from portal import notify
from volunteers.models import CLOSED, Application, Reference, Stage, StageChange
from volunteers.services.pipeline import _change, _locked, complete_by_evidence

# The answers kept on the application itself (referees are Reference rows).
APPLICATION_FIELDS = (
    "phone",
    "postcode",
    "availability",
    "experience",
    "motivation",
    "lived_experience",
    "conflicts_of_interest",
    "agrees_to_policies",
)
RELATIONS = ("localities", "roles")
REFEREE_FIELDS = ("name", "email", "relationship")


class ApplicationError(Exception):
    """Something the applicant cannot do now; the message is fit to show."""


def draft_for(user) -> Application:
    """Their application that is not closed, or a new draft."""
    application = Application.objects.filter(user=user).exclude(stage__in=CLOSED).first()
    if application is not None:
        return application
    try:
        with transaction.atomic():
            return Application.objects.create(user=user)
    except IntegrityError:  # a second tab made it a moment ago
        return Application.objects.get(user=user, stage=Stage.DRAFT)


@transaction.atomic
def save_draft(application: Application, answers: dict) -> Application:
    """Keep whichever answers are given (a half-filled draft is fine): only a draft can be
    changed."""
    application = _locked(application)
    if application.stage != Stage.DRAFT:
        raise ApplicationError("Your application has been sent: it can no longer be changed.")
    for name in APPLICATION_FIELDS:
        if name in answers:
            setattr(application, name, answers[name])
    application.save()
    for name in RELATIONS:
        if name in answers:
            getattr(application, name).set(answers[name])
    for position in (1, 2):
        given = {
            field: answers[f"referee_{position}_{field}"]
            for field in REFEREE_FIELDS
            if f"referee_{position}_{field}" in answers
        }
        if given:
            Reference.objects.update_or_create(
                application=application, position=position, defaults=given
            )
    return application


def referees(application: Application) -> dict[int, Reference]:
    return {reference.position: reference for reference in application.references.all()}


@transaction.atomic
def submit(application: Application) -> Application:
    """Send the draft (the form has checked it is complete): confirmed by email."""
    application = _locked(application)
    if application.stage != Stage.DRAFT:
        raise ApplicationError("Your application has already been sent.")
    now = timezone.now()
    StageChange.objects.create(
        application=application, from_stage=Stage.DRAFT, to_stage=Stage.APPLIED, by=application.user
    )
    application.stage = Stage.APPLIED
    application.stage_entered_at = application.submitted_at = now
    application.save(update_fields=["stage", "stage_entered_at", "submitted_at", "updated_at"])
    notify.send(
        application.user,
        notify.Message(
            kind="volunteers.application_received",
            template="volunteers/emails/application_received",
            subject=f"We have your application to volunteer ({application.reference})",
            context={"application": application},
            concerns=application,
        ),
    )
    return application


@transaction.atomic
def withdraw(application: Application, *, by) -> Application:
    application = _locked(application)
    if application.is_closed:
        raise ApplicationError("This application is already closed.")
    if application.stage == Stage.ACTIVE:
        raise ApplicationError("An active volunteer steps down rather than withdrawing.")
    _change(application, Stage.WITHDRAWN, by=by)
    # A referee who has not answered yet is no longer asked.
    application.references.exclude(status=Reference.Status.RECEIVED).update(
        token="", token_digest=""
    )
    notify.send(
        application.user,
        notify.Message(
            kind="volunteers.withdrawn",
            template="volunteers/emails/withdrawn",
            subject="You have withdrawn your application to volunteer",
            context={"application": application},
            concerns=application,
        ),
    )
    return application


MAX_STEP_DOWN_REASON = 2000


@transaction.atomic
def step_down(application: Application, *, by, reason: str = "") -> Application:
    """An active volunteer stops volunteering: the record is closed (retention anonymises it
    in time, as a withdrawn one) and their reason, if they gave one, kept encrypted."""
    application = _locked(application)
    reason = reason.strip()
    if application.stage != Stage.ACTIVE:
        raise ApplicationError("Only an active volunteer can step down.")
    if len(reason) > MAX_STEP_DOWN_REASON:
        raise ApplicationError(f"Keep your reason under {MAX_STEP_DOWN_REASON} characters.")
    _change(application, Stage.STEPPED_DOWN, by=by, reason=reason)
    notify.send(
        application.user,
        notify.Message(
            kind="volunteers.stepped_down",
            template="volunteers/emails/stepped_down",
            subject="You have stepped down as a volunteer",
            context={"application": application},
            concerns=application,
        ),
    )
    return application


@transaction.atomic
def sign_agreement(application: Application) -> Application:
    application = _locked(application)
    if application.stage != Stage.AGREEMENT:
        raise ApplicationError("The volunteer agreement is signed once your training is done.")
    application.agreement_signed_at = timezone.now()
    application.save(update_fields=["agreement_signed_at", "updated_at"])
    return complete_by_evidence(application)
