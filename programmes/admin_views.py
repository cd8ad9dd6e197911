"""Staff tools for programmes in the Wagtail admin: the cohorts list, one cohort (its weeks,
to move or cancel; its places and waiting list; offering a place from a referral), one
enrolment (the person's safe-contact plan first: assessment, an answer given by phone,
withdrawing) and the coordinator's check-in list. Scope: `selectors.cohorts_visible_to`;
a cohort or enrolment outside it, or an action the role may not take, is a 404 like one
that does not exist. Every look at people's records is audited."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal import audit
from portal.contact.selectors import plan_for_staff
from portal.outcomes.models import Occasion
from programmes import selectors, services
from programmes.forms import (
    ApologyForm,
    AssessmentForm,
    CheckInAttemptForm,
    EditCohortForm,
    MoveForm,
    NewCohortForm,
    OfferForm,
    PhoneAnswerForm,
    ReferralAssessmentForm,
    WithdrawForm,
)
from programmes.models import CheckIn, Cohort, Enrolment, ProgrammeSession
from programmes.outcomes import questions_open


def _may_work(request) -> None:
    if not selectors.works_on_programmes(request.user):
        raise Http404("No such page.")


def _cohort(request, pk: int, *, coordinate: bool = False) -> Cohort:
    _may_work(request)
    cohort = selectors.cohorts_visible_to(request.user).filter(pk=pk).first()
    if cohort is None or (coordinate and not selectors.may_coordinate(request.user, cohort)):
        raise Http404("No such cohort.")
    return cohort


def _enrolment(request, pk: int) -> Enrolment:
    enrolment = Enrolment.objects.select_related("plan__user", "referral").filter(pk=pk).first()
    if enrolment is None:
        raise Http404("No such enrolment.")
    _cohort(request, enrolment.cohort_id, coordinate=True)
    return enrolment


def cohorts(request):
    _may_work(request)
    audit.record_listing(request, Cohort)
    return TemplateResponse(
        request,
        "programmes/admin/cohorts.html",
        {"page_title": "Programme cohorts", "cohorts": selectors.cohort_list(request.user)},
    )


def cohort_detail(
    request, pk: int, *, offer_form=None, assessment_form=None, move_error=None, status=200
):
    cohort = _cohort(request, pk)
    may_coordinate = selectors.may_coordinate(request.user, cohort)
    enrolments = _with_progress(cohort, selectors.enrolments_of_cohort(cohort))
    audit.record_view(request, cohort, people=len(enrolments))
    return TemplateResponse(
        request,
        "programmes/admin/cohort.html",
        {
            "page_title": str(cohort),
            "cohort": cohort,
            "sessions": list(cohort.sessions.order_by("week")),
            "enrolments": enrolments,
            "may_coordinate": may_coordinate,
            "offer_form": offer_form
            or OfferForm(referrals=_offerable(request.user) if may_coordinate else None),
            "assessment_form": assessment_form
            or ReferralAssessmentForm(
                referrals=_offerable(request.user) if may_coordinate else None
            ),
            "move_error": move_error,
            "now": timezone.now(),
        },
        status=status,
    )


def _with_progress(cohort: Cohort, enrolments: list[Enrolment]) -> list[Enrolment]:
    """Each with `progress` (from the register) and `questions`: the occasions whose
    outcome questions may be entered from paper now."""
    progress = selectors.progress_of(cohort, enrolments)
    for enrolment in enrolments:
        enrolment.progress = progress[enrolment.pk]
        enrolment.questions = [
            occasion
            for occasion in Occasion
            if questions_open(enrolment, occasion, completed=enrolment.progress.completed)
        ]
    return enrolments


def _offerable(user):
    from referrals.models import Outcome
    from referrals.selectors import referrals_visible_to

    return referrals_visible_to(user).filter(outcome=Outcome.PROGRAMME).order_by("created_at")


@require_POST
def offer(request, pk: int):
    cohort = _cohort(request, pk, coordinate=True)
    form = OfferForm(request.POST, referrals=_offerable(request.user))
    if form.is_valid():
        try:
            enrolment = services.offer_place(
                cohort, referral=form.cleaned_data["referral"], by=request.user
            )
        except services.ProgrammeError as exc:
            form.add_error("referral", str(exc))
        else:
            audit.record(request.user, audit.Action.CREATE, enrolment, cohort=cohort.pk)
            messages.success(
                request, "Place offered." if enrolment.is_offered else "Put on the waiting list."
            )
            return redirect("programmes_enrolment", pk=enrolment.pk)
    return cohort_detail(request, pk, offer_form=form, status=400)


@require_POST
def cancel_cohort(request, pk: int):
    cohort = _cohort(request, pk, coordinate=True)
    services.cancel_cohort(cohort)
    audit.record(request.user, audit.Action.CHANGE, cohort, change="cancelled")
    messages.success(request, "The cohort is cancelled; everyone with a place or waiting is told.")
    return redirect("programmes_cohort", pk=cohort.pk)


@require_POST
def assess_referral(request, pk: int):
    """A closed programme's assessment, recorded before a place can be offered."""
    cohort = _cohort(request, pk, coordinate=True)
    form = ReferralAssessmentForm(request.POST, referrals=_offerable(request.user))
    if form.is_valid():
        try:
            assessment = services.record_assessment(
                programme=cohort.programme,
                plan=form.cleaned_data["referral"].plan,
                suitable=form.cleaned_data["suitable"],
                notes=form.cleaned_data["notes"],
                by=request.user,
            )
        except services.ProgrammeError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            audit.record(request.user, audit.Action.CREATE, assessment)
            messages.success(request, "Assessment recorded.")
            return redirect("programmes_cohort", pk=cohort.pk)
    return cohort_detail(request, pk, assessment_form=form, status=400)


@require_POST
def move_session(request, pk: int, session_pk: int):
    cohort = _cohort(request, pk, coordinate=True)
    session = ProgrammeSession.objects.filter(pk=session_pk, cohort=cohort).first()
    if session is None:
        raise Http404("No such week.")
    if request.POST.get("action") == "cancel":
        services.cancel_session(session)
        messages.success(request, f"Week {session.week} cancelled; participants are told.")
        return redirect("programmes_cohort", pk=cohort.pk)
    form = MoveForm(request.POST, prefix=f"move-{session.pk}")
    if form.is_valid():
        try:
            services.move_session(session, starts_at=form.cleaned_data["starts_at"])
        except services.ProgrammeError as exc:
            form.add_error("starts_at", str(exc))
        else:
            messages.success(request, f"Week {session.week} moved; participants are told.")
            return redirect("programmes_cohort", pk=cohort.pk)
    error = "; ".join(e for errors in form.errors.values() for e in errors)
    return cohort_detail(request, pk, move_error=(session.pk, error), status=400)


def enrolment_detail(request, pk: int, *, forms_given=None, status=200):
    enrolment = _enrolment(request, pk)
    summary = plan_for_staff(request, enrolment.plan)
    audit.record_view(request, enrolment)
    _with_progress(enrolment.cohort, [enrolment])
    given = forms_given or {}
    programme = enrolment.cohort.programme
    return TemplateResponse(
        request,
        "programmes/admin/enrolment.html",
        {
            "page_title": f"Place in {enrolment.cohort}",
            "enrolment": enrolment,
            "summary": summary,
            "assessed": services.enrolments.has_assessment(programme, enrolment.plan_id),
            "needs_assessment": programme.assessment_needed,
            "apologies": enrolment.apologies.select_related("session"),
            "assessment_form": given.get("assessment") or AssessmentForm(),
            "answer_form": given.get("answer") or PhoneAnswerForm(),
            "apology_form": given.get("apologies")
            or ApologyForm(weeks=selectors.weeks_of(enrolment, upcoming=True)),
            "withdraw_form": given.get("withdraw") or WithdrawForm(),
        },
        status=status,
    )


def _write(request, pk, key, form_class, action, done, **form_kwargs):
    enrolment = _enrolment(request, pk)
    form = form_class(request.POST, **{k: v(enrolment) for k, v in form_kwargs.items()})
    if form.is_valid():
        try:
            action(enrolment, form.cleaned_data)
        except services.ProgrammeError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            audit.record(request.user, audit.Action.CHANGE, enrolment, change=key)
            messages.success(request, done)
            return redirect("programmes_enrolment", pk=enrolment.pk)
    return enrolment_detail(request, pk, forms_given={key: form}, status=400)


@require_POST
def assess(request, pk: int):
    return _write(
        request,
        pk,
        "assessment",
        AssessmentForm,
        lambda e, data: services.record_assessment(
            programme=e.cohort.programme,
            plan=e.plan,
            suitable=data["suitable"],
            notes=data["notes"],
            by=request.user,
        ),
        "Assessment recorded.",
    )


@require_POST
def answer(request, pk: int):
    return _write(
        request,
        pk,
        "answer",
        PhoneAnswerForm,
        lambda e, data: services.answer_by_phone(e, accepted=data["accepted"], by=request.user),
        "Their answer is recorded.",
    )


@require_POST
def apologies(request, pk: int):
    """Apologies the person gave staff (by phone, for someone without an account)."""
    return _write(
        request,
        pk,
        "apologies",
        ApologyForm,
        lambda e, data: services.send_apologies(
            e, data["session"], reason=data["reason"], by=request.user
        ),
        "Apologies recorded.",
        weeks=selectors.weeks_of,
    )


@require_POST
def withdraw(request, pk: int):
    return _write(
        request,
        pk,
        "withdraw",
        WithdrawForm,
        lambda e, data: services.withdraw(e, reason=data["reason"], by=request.user),
        "They have left the group; the place is offered to the waiting list.",
    )


def check_ins(request):
    _may_work(request)
    waiting = selectors.open_check_ins(request.user)
    audit.record_listing(request, CheckIn)
    return TemplateResponse(
        request,
        "programmes/admin/check_ins.html",
        {
            "page_title": "Check-ins after a missed week",
            "check_ins": waiting,
        },
    )


def _check_in(request, pk: int) -> CheckIn:
    _may_work(request)
    check_in = selectors.check_ins_visible_to(request.user).filter(pk=pk).first()
    if check_in is None:
        raise Http404("No such check-in.")
    return check_in


def check_in_detail(request, pk: int, *, form=None, status=200):
    check_in = _check_in(request, pk)
    plan = check_in.enrolment.plan
    summary = plan_for_staff(request, plan)
    audit.record_view(request, check_in)
    now = timezone.now()
    return TemplateResponse(
        request,
        "programmes/admin/check_in.html",
        {
            "page_title": "Check-in",
            "check_in": check_in,
            "summary": summary,
            "now": now,
            "next_window": services.check_ins.next_safe_window(plan, now),
            "attempts": check_in.attempts.select_related("by"),
            "form": form
            or CheckInAttemptForm(safe_channels=services.check_ins.safe_channels(plan)),
        },
        status=status,
    )


@require_POST
def log_attempt(request, pk: int):
    check_in = _check_in(request, pk)
    plan = check_in.enrolment.plan
    form = CheckInAttemptForm(request.POST, safe_channels=services.check_ins.safe_channels(plan))
    if form.is_valid():
        try:
            services.log_check_in_attempt(check_in, by=request.user, **form.cleaned_data)
        except services.ProgrammeError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, "Attempt logged.")
            return redirect("programmes_check_in", pk=check_in.pk)
    return check_in_detail(request, pk, form=form, status=400)


def new_cohort(request):
    _may_work(request)
    if not (request.user.is_superuser or request.user.has_perm(selectors.COORDINATE)):
        raise Http404("No such page.")
    form = NewCohortForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cohort = services.create_cohort(
                programme=data["programme"],
                locality=data["locality"],
                venue=data["venue"],
                start_date=data["start_date"],
                start_time=data["start_time"],
                weeks=data["weeks"],
                capacity=data["capacity"],
                creche_places=data["creche_places"],
                facilitators=data["facilitators"],
            )
        except services.ProgrammeError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            audit.record(request.user, audit.Action.CREATE, cohort)
            messages.success(request, "Cohort created with its weekly sessions.")
            return redirect("programmes_cohort", pk=cohort.pk)
    return TemplateResponse(
        request,
        "programmes/admin/new_cohort.html",
        {"page_title": "New cohort", "form": form},
        status=400 if form.errors else 200,
    )


def edit_cohort(request, pk: int):
    cohort = _cohort(request, pk, coordinate=True)
    initial = {
        "capacity": cohort.capacity,
        "creche_places": cohort.creche_places,
        "venue": cohort.venue,
        "facilitators": list(cohort.facilitators.all()),
    }
    form = EditCohortForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_cohort(cohort, **form.cleaned_data)
        except services.ProgrammeError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            audit.record(request.user, audit.Action.CHANGE, cohort, change="edited")
            messages.success(request, "Cohort changed.")
            return redirect("programmes_cohort", pk=cohort.pk)
    return TemplateResponse(
        request,
        "programmes/admin/new_cohort.html",
        {"page_title": f"Change {cohort}", "form": form},
        status=400 if form.errors else 200,
    )
