"""The participant's pages: answering an offer by its link (no account needed), and, with an
account, their own appointments (dates, the place if they chose to be told it, the
facilitators' first names, their progress), apologies for a week to come, and leaving.
Titles and words never name the service or the programme unless their plan allows it; a
page of someone else's is a 404 like one that does not exist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from portal.outcomes.models import Occasion
from programmes import selectors, services
from programmes.forms import ApologyForm, WithdrawForm
from programmes.outcomes import questions_open
from programmes.services import notices


def answer(request, token: str):
    enrolment = services.enrolments.offered_by_token(token)
    if enrolment is None:
        raise Http404("No such link.")
    error = ""
    if request.method == "POST" and enrolment.is_offered:
        choice = request.POST.get("answer")
        try:
            if choice == "accept":
                enrolment = services.accept_by_token(token, user=request.user)
            elif choice == "decline":
                enrolment = services.decline_by_token(token)
            else:
                error = "Choose yes or no."
        except services.ProgrammeError as exc:
            error = str(exc)
        else:
            if not error:
                return TemplateResponse(
                    request, "programmes/answered.html", {"enrolment": enrolment}
                )
    weeks = notices.their_weeks(enrolment)
    return TemplateResponse(
        request,
        "programmes/answer.html",
        {
            "enrolment": enrolment,
            "named": notices.may_name(enrolment),
            "first": weeks[0] if weeks else None,
            "where": notices.place_of(enrolment),
            "error": error,
        },
        status=400 if error else 200,
    )


def _own(request, pk: int):
    enrolment = selectors.own_enrolment(request.user, pk)
    if enrolment is None:
        raise Http404("No such page.")
    return enrolment


def _page(request, enrolment, *, apology_form=None, withdraw_form=None, status=200):
    weeks = enrolment.cohort.sessions.filter(week__gte=enrolment.joined_week).order_by("starts_at")
    apologised = set(enrolment.apologies.values_list("session_id", flat=True))
    progress = selectors.progress_of(enrolment.cohort, [enrolment])[enrolment.pk]
    # The end questions once they may be answered, else the start's.
    questions = next(
        (
            occasion
            for occasion in (Occasion.END, Occasion.START)
            if questions_open(enrolment, occasion, completed=progress.completed)
        ),
        None,
    )
    return TemplateResponse(
        request,
        "programmes/mine.html",
        {
            "enrolment": enrolment,
            "named": notices.may_name(enrolment),
            "weeks": list(weeks),
            "apologised": apologised,
            "where": notices.place_of(enrolment),
            "facilitators": sorted(
                {f.first_name for f in enrolment.cohort.facilitators.all() if f.first_name}
            ),
            "progress": progress,
            "questions": questions,
            "apology_form": apology_form
            or ApologyForm(weeks=selectors.weeks_of(enrolment, upcoming=True)),
            "withdraw_form": withdraw_form or WithdrawForm(),
        },
        status=status,
    )


@login_required
def my_enrolment(request, pk: int):
    return _page(request, _own(request, pk))


@login_required
@require_POST
def apologies(request, pk: int):
    enrolment = _own(request, pk)
    form = ApologyForm(request.POST, weeks=selectors.weeks_of(enrolment))
    if form.is_valid():
        try:
            services.send_apologies(
                enrolment, form.cleaned_data["session"], reason=form.cleaned_data["reason"]
            )
        except services.ProgrammeError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, "Thank you: we know you will not be there that week.")
            return redirect("programmes_mine", pk=enrolment.pk)
    return _page(request, enrolment, apology_form=form, status=400)


@login_required
@require_POST
def withdraw(request, pk: int):
    enrolment = _own(request, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw(enrolment, reason=form.cleaned_data["reason"])
        except services.ProgrammeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, "You have left the group. You can ask for support again at any time."
            )
            return redirect("my_account")
    return _page(request, enrolment, withdraw_form=form, status=400)
