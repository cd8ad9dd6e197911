"""The volunteer coordinator's tools in the staff area: the application list (filterable by
stage, locality and overdue, scoped to their localities) and one application (answers,
references, DBS record, training, notes, moves and the override).

Every view asks `selectors.applications_visible_to`; an application outside it is a 404,
as for none. Opening one is audited; so is the list."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal import audit, scope
from portal.localities import Locality
from volunteers import selectors, services
from volunteers.forms import DBSForm, MoveForm, NoteForm, OverrideForm
from volunteers.models import PIPELINE, Application, Stage
from volunteers.services.pipeline import MANUAL_STAGES, missing_for_active, next_stage

PAGE_SIZE = 50


def _allowed(request) -> None:
    if not request.user.has_perm(selectors.VIEW_PERMISSION):
        raise Http404


def overdue_filter(now=None) -> Q:
    """Applications past their stage's target days, as a database filter."""
    from django.conf import settings

    now = now or timezone.now()
    rule = Q(pk__in=[])
    for stage, days in settings.VOLUNTEER_STAGE_TARGET_DAYS.items():
        rule |= Q(stage=stage, stage_entered_at__lt=now - timedelta(days=days))
    return rule


def application_list(request):
    _allowed(request)
    visible = selectors.applications_visible_to(request.user)
    stage = request.GET.get("stage", "")
    locality = request.GET.get("locality", "")
    overdue = request.GET.get("overdue") == "1"
    counts = dict(visible.values_list("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    applications = visible
    if stage in Stage.values:
        applications = applications.filter(stage=stage)
    if locality:
        applications = applications.filter(
            pk__in=Application.objects.filter(localities__slug=locality).values("pk")
        )
    if overdue:
        applications = applications.filter(overdue_filter())
    applications = (
        applications.select_related("user")
        .prefetch_related("localities", "roles")
        .order_by("stage_entered_at", "pk")
    )
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("p"))
    now = timezone.now()
    for application in page:
        application.overdue = application.is_overdue(now)
    audit.record_listing(request, Application)
    localities = Locality.objects.all()
    if not scope.sees_everything(request.user):
        localities = localities.filter(pk__in=scope.locality_ids(request.user))
    return TemplateResponse(
        request,
        "volunteers/admin/application_list.html",
        {
            "page_title": "Volunteer applications",
            "page": page,
            "stages": [
                (value, label, counts.get(value, 0))
                for value, label in Stage.choices
                if value != Stage.DRAFT
            ],
            "localities": localities,
            "chosen": {"stage": stage, "locality": locality, "overdue": overdue},
        },
    )


def _application(request, pk: int, *, changing: bool = False) -> Application:
    _allowed(request)
    if changing and not request.user.has_perm(selectors.CHANGE_PERMISSION):
        raise Http404
    return get_object_or_404(
        selectors.applications_visible_to(request.user).select_related("user"), pk=pk
    )


def application_detail(request, pk: int, *, forms: dict | None = None, status: int = 200):
    application = _application(request, pk)
    audit.record_view(request, application)
    forms = forms or {}
    check = getattr(application, "dbs_check", None)
    dbs_initial = (
        {
            "level": check.level,
            "certificate_number": check.certificate_number,
            "issued_on": check.issued_on,
            "update_service": check.update_service,
            "outcome": check.outcome,
            "status_checked_on": check.status_checked_on,
        }
        if check
        else {"level": selectors.required_dbs_level(application)}
    )
    stage = application.stage
    return TemplateResponse(
        request,
        "volunteers/admin/application_detail.html",
        {
            "page_title": f"Application {application.reference}",
            "application": application,
            "lived_experience": selectors.sees_lived_experience(request.user),
            "references": list(application.references.all()),
            "check": check,
            "training": selectors.training_status(application),
            "today": timezone.localdate(),
            "required_dbs": selectors.required_dbs_level(application),
            "notes": list(application.notes.select_related("author")),
            "changes": list(application.changes.select_related("by")),
            "next_stage": next_stage(stage) if stage in MANUAL_STAGES else None,
            "next_stage_label": Stage(next_stage(stage)).label if stage in MANUAL_STAGES else "",
            "waiting_for": services.evidence_missing(application, stage),
            "missing": missing_for_active(application),
            "can_hold": stage in PIPELINE and stage != Stage.ACTIVE,
            "can_resume": stage == Stage.ON_HOLD,
            "held_from_label": Stage(application.held_from).label if application.held_from else "",
            "can_override": stage in PIPELINE[:-1] or stage == Stage.ON_HOLD,
            "move_form": forms.get("move") or MoveForm(),
            "override_form": forms.get("override") or OverrideForm(),
            "note_form": forms.get("note") or NoteForm(),
            "dbs_form": forms.get("dbs") or DBSForm(initial=dbs_initial),
            "errors": forms.get("errors", []),
        },
        status=status,
    )


def _refused(request, pk, message: str, key: str, form) -> TemplateResponse:
    return application_detail(request, pk, forms={key: form, "errors": [message]}, status=400)


@require_POST
def move(request, pk: int):
    application = _application(request, pk, changing=True)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _refused(request, pk, "Keep the reason under 2000 characters.", "move", form)
    try:
        services.move(
            application,
            form.cleaned_data["to_stage"],
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except services.StageError as error:
        return _refused(request, pk, str(error), "move", form)
    application.refresh_from_db()
    messages.success(
        request, f"{application.reference} is now at: {application.get_stage_display()}"
    )
    return redirect("volunteers_application", pk)


@require_POST
def override(request, pk: int):
    application = _application(request, pk, changing=True)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        return _refused(request, pk, form.errors["reason"][0], "override", form)
    try:
        services.override_to_active(
            application, by=request.user, reason=form.cleaned_data["reason"]
        )
    except services.StageError as error:
        return _refused(request, pk, str(error), "override", form)
    messages.success(request, f"{application.reference} is active (override recorded)")
    return redirect("volunteers_application", pk)


@require_POST
def add_note(request, pk: int):
    application = _application(request, pk, changing=True)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _refused(request, pk, form.errors["text"][0], "note", form)
    services.add_note(application, by=request.user, text=form.cleaned_data["text"])
    messages.success(request, "Note added")
    return redirect("volunteers_application", pk)


@require_POST
def record_dbs(request, pk: int):
    application = _application(request, pk, changing=True)
    form = DBSForm(request.POST)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        return _refused(request, pk, first, "dbs", form)
    services.record_dbs(application, by=request.user, **form.cleaned_data)
    messages.success(request, "DBS check recorded")
    return redirect("volunteers_application", pk)
