"""The volunteer's shift pages under My account: the shifts they may do, signing up, their
own shifts, offers and cancelling. Another person's sign-up is a 404, like a missing one;
so is a shift they may not do."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from volunteers import selectors
from volunteers.models import Shift, ShiftSignup
from volunteers.services import shifts as services
from volunteers.services.shifts import ShiftError


def _their_application(request):
    application = selectors.active_application_of(request.user)
    if application is None:
        raise Http404
    return application


@login_required
def shift_list(request, *, error: str = "", error_shift: int | None = None, status: int = 200):
    application = _their_application(request)
    signups = list(selectors.signups_of(request.user))
    taken = {signup.shift_id for signup in signups}
    for signup in signups:
        signup.may_cancel = services.may_cancel(signup)
    open_shifts = [s for s in selectors.shifts_open_to(application) if s.pk not in taken]
    return TemplateResponse(
        request,
        "volunteers/shifts.html",
        {
            "signups": signups,
            "open_shifts": open_shifts,
            "cancel_hours": settings.VOLUNTEER_SHIFT_CANCEL_HOURS,
            "error": error,
            "error_shift": error_shift,
        },
        status=status,
    )


@require_POST
@login_required
def sign_up(request, pk: int):
    application = _their_application(request)
    open_ids = {shift.pk for shift in selectors.shifts_open_to(application)}
    if pk not in open_ids:
        # Full shifts stay open (the waiting list); missing, past, closed or not theirs: 404.
        raise Http404
    shift = get_object_or_404(Shift, pk=pk)
    try:
        signup = services.sign_up(shift, application)
    except ShiftError as error:
        return shift_list(request, error=str(error), error_shift=pk, status=400)
    messages.success(request, _said(signup))
    return redirect("volunteers:shifts")


def _said(signup: ShiftSignup) -> str:
    if signup.is_confirmed:
        return "You have a place on the shift"
    if signup.awaits_approval:
        return "Your request is sent: your coordinator will confirm it"
    return "The shift is full: you are on its waiting list"


def _own_signup(request, pk: int) -> ShiftSignup:
    return get_object_or_404(selectors.signups_of(request.user), pk=pk)


@require_POST
@login_required
def cancel(request, pk: int):
    signup = _own_signup(request, pk)
    try:
        services.cancel(signup)
    except ShiftError as error:
        return shift_list(request, error=str(error), status=400)
    messages.success(request, "Cancelled")
    return redirect("volunteers:shifts")


@require_POST
@login_required
def answer_offer(request, pk: int):
    signup = _own_signup(request, pk)
    try:
        if request.POST.get("answer") == "accept":
            signup = services.accept_offer(signup)
            messages.success(request, _said(signup))
        elif request.POST.get("answer") == "decline":
            services.decline_offer(signup)
            messages.success(request, "The place is passed on")
        else:
            return shift_list(request, error="Choose whether to take the place", status=400)
    except ShiftError as error:
        return shift_list(request, error=str(error), status=400)
    return redirect("volunteers:shifts")
