"""The two screens of the questionnaire, which an app mounts with its subject's key:

    path("<int:pk>/questions/<occasion:occasion>/", outcomes.views.own_answers,
         {"subject_key": "programmes.enrolment"}, name="...")   # the person's own page
    path("<int:pk>/questions/<occasion:occasion>/", outcomes.views.staff_answers,
         {"subject_key": "programmes.enrolment"}, name="...")   # in register_admin_urls

A subject that is not the person's (or outside the staff member's scope), an unknown
occasion, or one that may not be answered yet is a 404 that reveals nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache

from portal import audit
from portal.outcomes import selectors, services
from portal.outcomes.forms import AnswersForm
from portal.outcomes.models import EnteredBy, Occasion
from portal.outcomes.registry import subject_by_key


def _subject(source, subjects, pk: int, occasion: str):
    if occasion not in Occasion.values:
        raise Http404("No such questions.")
    subject = get_object_or_404(subjects, pk=pk)
    if not source.may_answer(subject, occasion):
        raise Http404("No such questions.")
    return subject


def _initial(subject, occasion: str) -> tuple[dict, list]:
    responses = [r for (_, at), r in selectors.responses_of(subject).items() if at == occasion]
    return {r.measure: r.answer_values for r in responses}, responses


@never_cache
@login_required
def own_answers(request, pk: int, occasion: str, *, subject_key: str):
    source = subject_by_key(subject_key)
    subject = _subject(source, source.people_of(request.user), pk, occasion)
    initial, responses = _initial(subject, occasion)
    form = AnswersForm(request.POST if request.method == "POST" else None, initial_answers=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_answers(
                subject, occasion, form.answers(), by=request.user, entered_by=EnteredBy.PERSON
            )
        except services.AnswersError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Thank you. Your answers are saved.")
            return redirect(source.own_page_url(subject))
    return TemplateResponse(
        request,
        "outcomes/answers.html",
        {
            "form": form,
            "answered_before": bool(responses),
            "back_url": source.own_page_url(subject),
        },
    )


@never_cache
def staff_answers(request, pk: int, occasion: str, *, subject_key: str):
    source = subject_by_key(subject_key)
    subject = _subject(source, source.visible_to(request.user), pk, occasion)
    initial, responses = _initial(subject, occasion)
    form = AnswersForm(
        request.POST if request.method == "POST" else None,
        initial_answers=initial,
        on_paper=True,
        initial={"answered_on": responses[0].answered_on} if responses else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_answers(
                subject,
                occasion,
                form.answers(),
                by=request.user,
                entered_by=EnteredBy.STAFF,
                answered_on=form.cleaned_data["answered_on"],
            )
        except services.AnswersError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Answers saved.")
            return redirect(request.path)
    # The screen shows a person's name and, once entered, their answers: a staff view of
    # sensitive personal data.
    audit.record_view(request, subject, outcomes=occasion, responses_shown=len(responses))
    title = source.title(subject)
    return TemplateResponse(
        request,
        "outcomes/admin/answers.html",
        {
            "form": form,
            "person_name": source.person_name(subject),
            "occasion": Occasion(occasion).label.lower(),
            "responses": responses,
            "header_title": f"Questionnaire: {title}",
            "page_title": "Questionnaire",
            "page_subtitle": title,
        },
    )
