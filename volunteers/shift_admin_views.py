"""The volunteer coordinator's shift tools in the staff area: the shift list (upcoming, with
the at-risk ones first: under-filled within VOLUNTEER_SHIFT_AT_RISK_DAYS), creating shifts
(one or weekly), one shift (who is on it, their safe-contact plans first, approving
requests, filling a place by hand, editing, cancelling).

Every view asks `selectors.shifts_visible_to`; a shift outside it is a 404, as for none.
Opening one is audited; so is the list."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal import audit, places, scope
from portal.contact.selectors import plans_for_staff
from portal.localities import Locality
from volunteers import selectors
from volunteers.models import Application, Shift, ShiftSignup, Stage
from volunteers.services import shifts as services
from volunteers.services.shifts import ShiftError
from volunteers.shift_forms import FillForm, NewShiftForm, ShiftForm

PAGE_SIZE = 50


def _may_change(request) -> None:
    if not request.user.has_perm(selectors.SHIFT_CHANGE_PERMISSION):
        raise Http404


def _localities(user):
    localities = Locality.objects.all()
    if scope.sees_everything(user):
        return localities
    return localities.filter(pk__in=scope.locality_ids(user))


def shift_list(request):
    if not request.user.has_perm(selectors.SHIFT_VIEW_PERMISSION):
        raise Http404
    upcoming = places.with_places_taken(
        selectors.shifts_visible_to(request.user).filter(ends_at__gt=timezone.now())
    ).select_related("role", "locality")
    page = Paginator(upcoming.order_by("starts_at", "pk"), PAGE_SIZE).get_page(request.GET.get("p"))
    audit.record_listing(request, Shift)
    return TemplateResponse(
        request,
        "volunteers/admin/shift_list.html",
        {
            "page_title": "Volunteer shifts",
            "page": page,
            "at_risk": list(selectors.at_risk_shifts(request.user)),
            "may_add": request.user.has_perm("volunteers.add_shift"),
        },
    )


def shift_create(request):
    if not request.user.has_perm("volunteers.add_shift"):
        raise Http404
    form = NewShiftForm(request.POST or None, localities=_localities(request.user))
    if request.method == "POST" and form.is_valid():
        made = services.create_shifts(
            by=request.user,
            capacity=form.cleaned_data["capacity"],
            weeks=form.cleaned_data["weeks"],
            **form.shift_fields(),
        )
        messages.success(request, f"{len(made)} shift{'s' if len(made) > 1 else ''} added")
        return redirect("volunteers_shift", made[0].pk)
    return TemplateResponse(
        request,
        "volunteers/admin/shift_form.html",
        {"page_title": "Add a shift", "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _shift(request, pk: int) -> Shift:
    return get_object_or_404(
        selectors.shifts_visible_to(request.user).select_related("role", "locality"), pk=pk
    )


def _volunteers_for(shift: Shift, user):
    """Active volunteers this coordinator sees who hold the shift's role."""
    visible = selectors.applications_visible_to(user).filter(stage=Stage.ACTIVE)
    return (
        Application.objects.filter(pk__in=visible.values("pk"), roles=shift.role)
        .exclude(shift_signups__shift=shift, shift_signups__status__in=places.TAKING_PLACES)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "pk")
    )


def shift_detail(request, pk: int, *, forms: dict | None = None, errors=(), status: int = 200):
    shift = _shift(request, pk)
    audit.record_view(request, shift)
    forms = forms or {}
    signups = list(
        shift.holdings.filter(status__in=places.ACTIVE)
        .select_related("application__user")
        .order_by("requested_at", "pk")
    )
    people = [
        (s.application.user.get_full_name(), s.application.user, s.application.user.email)
        for s in signups
    ]
    return TemplateResponse(
        request,
        "volunteers/admin/shift_detail.html",
        {
            "page_title": str(shift),
            "shift": shift,
            "signups": signups,
            "taken": shift.places_taken(),
            "plans": plans_for_staff(request, people),
            "may_change": request.user.has_perm(selectors.SHIFT_CHANGE_PERMISSION)
            and not shift.is_cancelled,
            "fill_form": forms.get("fill")
            or FillForm(volunteers=_volunteers_for(shift, request.user)),
            "edit_form": forms.get("edit")
            or ShiftForm(
                initial=ShiftForm.initial_for(shift), localities=_localities(request.user)
            ),
            "errors": errors,
        },
        status=status,
    )


def _changing(request, pk: int) -> Shift:
    _may_change(request)
    return _shift(request, pk)


@require_POST
def shift_edit(request, pk: int):
    shift = _changing(request, pk)
    form = ShiftForm(request.POST, localities=_localities(request.user))
    if not form.is_valid():
        return shift_detail(request, pk, forms={"edit": form}, status=400)
    try:
        services.edit_shift(
            shift, by=request.user, capacity=form.cleaned_data["capacity"], **form.shift_fields()
        )
    except ShiftError as error:
        form.add_error("capacity", str(error))
        return shift_detail(request, pk, forms={"edit": form}, status=400)
    messages.success(request, "Shift changed")
    return redirect("volunteers_shift", pk)


@require_POST
def shift_fill(request, pk: int):
    shift = _changing(request, pk)
    form = FillForm(request.POST, volunteers=_volunteers_for(shift, request.user))
    if not form.is_valid():
        return shift_detail(request, pk, forms={"fill": form}, status=400)
    try:
        services.fill_by_hand(shift, form.cleaned_data["application"], by=request.user)
    except ShiftError as error:
        form.add_error("application", str(error))
        return shift_detail(request, pk, forms={"fill": form}, status=400)
    messages.success(request, "Volunteer added to the shift")
    return redirect("volunteers_shift", pk)


@require_POST
def shift_cancel(request, pk: int):
    shift = _changing(request, pk)
    told = services.cancel_shift(shift, by=request.user)
    messages.success(request, f"Shift cancelled ({told} told)")
    return redirect("volunteers_shift", pk)


@require_POST
def signup_answer(request, pk: int, signup_pk: int):
    shift = _changing(request, pk)
    signup = get_object_or_404(ShiftSignup, shift=shift, pk=signup_pk)
    try:
        if request.POST.get("answer") == "approve":
            services.approve(signup, by=request.user)
            messages.success(request, "Request approved")
        elif request.POST.get("answer") == "refuse":
            services.refuse(signup, by=request.user)
            messages.success(request, "Request refused")
        else:
            return shift_detail(request, pk, errors=["Choose approve or refuse."], status=400)
    except ShiftError as error:
        return shift_detail(request, pk, errors=[str(error)], status=400)
    return redirect("volunteers_shift", pk)
