"""The volunteer's pages (signed in: apply, see where they stand, sign, withdraw) and the
referee's page (no account: the emailed link is the key). Another person's application is a
404, the same as one that does not exist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal import audit
from volunteers import selectors, services, subject_access
from volunteers.forms import ApplicationForm, EqualityForm, ReferenceForm, StepDownForm
from volunteers.models import Application, EqualityMonitoring, Stage

# What the applicant reads about where they stand: never a reason a coordinator recorded.
NEXT_STEP = {
    Stage.APPLIED: "We will read your application and phone you for a short screening call.",
    Stage.SCREENING: "We will phone you for a short screening call.",
    Stage.INTERVIEW: "We will invite you to an informal interview.",
    Stage.REFERENCES: "We have asked your referees for a reference by email.",
    Stage.DBS: "We will help you apply for a DBS check. We record only its outcome.",
    Stage.TRAINING: "Book and attend the training your roles need (below). Volunteers do not pay.",
    Stage.AGREEMENT: "Read and sign the volunteer agreement (below).",
    Stage.ACTIVE: "You are an active volunteer. Thank you.",
    Stage.ON_HOLD: "Your application is paused for now. We will be in touch.",
    Stage.NOT_PROGRESSED: "We are not able to take your application further this time.",
    Stage.WITHDRAWN: "You withdrew this application.",
    Stage.STEPPED_DOWN: "You have stepped down as a volunteer. Thank you.",
}


def _own(request, pk: int) -> Application:
    return get_object_or_404(selectors.applications_of(request.user), pk=pk)


@login_required
def apply(request):
    application = services.draft_for(request.user)
    if application.stage != Stage.DRAFT:
        return redirect("volunteers:application", application.pk)
    sending = request.method == "POST" and "send" in request.POST
    if request.method == "POST":
        form = ApplicationForm(request.POST, sending=sending)
        valid = form.is_valid()
        # Whatever was typed and passes its own checks is kept, even if sending fails.
        services.save_draft(application, form.valid_answers())
        if valid and sending:
            services.submit(application)
            messages.success(request, "Application sent")
            return redirect("volunteers:application", application.pk)
        if valid:
            messages.success(
                request, "Your answers are saved. Come back at any time to finish and send it."
            )
            return redirect("volunteers:apply")
    else:
        form = ApplicationForm(initial=ApplicationForm.initial_for(application))
    return render(
        request,
        "volunteers/apply.html",
        {"form": form, "application": application, "sending": sending},
    )


@login_required
def application(request, pk: int):
    application = _own(request, pk)
    training = []
    if application.stage in (Stage.TRAINING, Stage.AGREEMENT, Stage.ACTIVE, Stage.DBS):
        today = timezone.localdate()
        training = [
            (status.course, status.done(today)) for status in selectors.training_status(application)
        ]
    return render(
        request,
        "volunteers/application.html",
        {
            "application": application,
            "next_step": NEXT_STEP.get(application.stage, ""),
            "pipeline": _progress(application),
            "training": training,
        },
    )


def _progress(application: Application) -> list[tuple[str, str]]:
    """(stage label, "done" / "current" / "to do") for the applicant's view."""
    from volunteers.models import PIPELINE

    at = application.held_from or application.stage
    if at not in PIPELINE:
        return []
    index = PIPELINE.index(at)
    return [
        (label, "done" if i < index else "current" if i == index else "to do")
        for i, label in enumerate(Stage(stage).label for stage in PIPELINE)
    ]


@login_required
def withdraw(request, pk: int):
    application = _own(request, pk)
    if application.is_closed:
        return redirect("volunteers:application", pk)
    if request.method == "POST":
        services.withdraw(application, by=request.user)
        messages.success(request, "Your application is withdrawn")
        return redirect("volunteers:application", pk)
    return render(request, "volunteers/withdraw.html", {"application": application})


@login_required
def step_down(request, pk: int):
    application = _own(request, pk)
    if application.stage != Stage.ACTIVE:
        return redirect("volunteers:application", pk)
    form = StepDownForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.step_down(application, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, "You have stepped down as a volunteer")
        return redirect("volunteers:application", pk)
    return render(request, "volunteers/step_down.html", {"application": application, "form": form})


@never_cache
@login_required
def my_data(request, pk: int):
    """The subject-access download of one of the person's own applications (audited: it
    is a copy of personal data leaving the service)."""
    application = _own(request, pk)
    audit.record(request.user, audit.Action.EXPORT, application, subject_access=True)
    response = JsonResponse(
        subject_access.export(application), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    response["Content-Disposition"] = (
        f'attachment; filename="my-data-{application.reference.lower()}.json"'
    )
    return response


@require_POST
@login_required
def sign_agreement(request, pk: int):
    application = _own(request, pk)
    if request.POST.get("agree") != "yes":
        messages.error(request, "Tick the box to sign the agreement")
        return redirect("volunteers:application", pk)
    try:
        services.sign_agreement(application)
    except services.ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Agreement signed")
    return redirect("volunteers:application", pk)


@login_required
def equality(request, pk: int):
    application = _own(request, pk)
    if application.stage == Stage.DRAFT or application.equality_answered:
        return redirect("volunteers:application", pk)
    form = EqualityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            answers: EqualityMonitoring = form.save(commit=False)
            answers.month = timezone.localdate().replace(day=1)
            answers.locality = application.localities.first()
            answers.save()
            Application.objects.filter(pk=application.pk).update(equality_answered=True)
        messages.success(request, "Thank you for answering")
        return redirect("volunteers:application", pk)
    return render(request, "volunteers/equality.html", {"form": form, "application": application})


@never_cache  # it names the applicant: no cache may keep it
def reference(request, token: str):
    try:
        found = services.reference_for_token(token)
    except services.ReferenceLinkError as error:
        return render(
            request,
            "volunteers/reference_unavailable.html",
            {"message": str(error)},
            status=error.status,
        )
    form = ReferenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_reference(token, form.cleaned_data)
        except services.ReferenceLinkError as error:
            return render(
                request,
                "volunteers/reference_unavailable.html",
                {"message": str(error)},
                status=error.status,
            )
        return render(request, "volunteers/reference_thanks.html")
    return render(
        request,
        "volunteers/reference.html",
        {"form": form, "applicant_name": found.application.user.get_full_name()},
    )
