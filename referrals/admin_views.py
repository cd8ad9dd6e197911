"""Staff tools for referrals in the Wagtail admin: the triage queue, one referral (its
safe-contact plan first), and the writes on it (contact attempts, outcomes, handovers, case
notes, the senior review). Scope: `selectors.referrals_visible_to`; a referral outside it,
or an action the role may not take, is a 404 like a referral that does not exist. Every
look is audited (the queue as a listing, each referral and its plan as a view)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST
from wagtail import hooks

from portal import audit
from portal.contact.selectors import plan_for_staff
from portal.localities import Locality

from . import selectors, services, subject_access
from .models import (
    AttemptChannel,
    AttemptOutcome,
    Closure,
    Outcome,
    Referral,
)


class AttemptForm(forms.Form):
    channel = forms.ChoiceField(label="How", widget=forms.RadioSelect)
    outcome = forms.ChoiceField(
        label="What happened", choices=AttemptOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, referral: Referral, **kwargs):
        super().__init__(*args, **kwargs)
        safe = services.safe_channels(referral.plan)
        # Only the channels the plan marks safe are offered.
        self.fields["channel"].choices = [
            (value, label) for value, label in AttemptChannel.choices if value in safe
        ]
        if not referral.plan.voicemail_allowed:
            self.fields["outcome"].choices = [
                c for c in AttemptOutcome.choices if c[0] != AttemptOutcome.VOICEMAIL
            ]


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label="Outcome", widget=forms.RadioSelect)
    worker = forms.ModelChoiceField(
        label="Community worker (for community worker support)",
        queryset=Referral.objects.none(),
        required=False,
    )
    reason = forms.CharField(
        label="Reason or note (needed to signpost or close)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, referral: Referral, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = [Outcome.HIGH_RISK, Outcome.CLOSED] if referral.high_risk else list(Outcome)
        self.fields["outcome"].choices = [(o.value, o.label) for o in allowed]
        self.fields["worker"].queryset = selectors.community_workers_in(referral.locality)


class HandoverForm(forms.Form):
    locality = forms.ModelChoiceField(
        label="Locality", queryset=Locality.objects.in_person(), required=True
    )
    worker = forms.ModelChoiceField(
        label="Community worker (empty: back to that locality's queue)",
        queryset=Referral.objects.none(),
        required=False,
    )
    reason = forms.CharField(
        label="Reason for the change", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, referral: Referral, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["locality"].initial = referral.locality_id
        self.fields["worker"].queryset = (
            get_user_model()
            .objects.filter(groups__name=selectors.COMMUNITY_WORKER, is_active=True)
            .distinct()
            .order_by("first_name", "last_name")
        )


class ClosureForm(forms.Form):
    closure = forms.ChoiceField(
        label="Why the case is closing",
        choices=Closure.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the case is closing"},
    )
    # Not "note": the contact attempt's form on the same page has one (ids must be unique).
    closure_note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Case note", max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )


def _referral(request, pk: int, *, triage: bool = False) -> Referral:
    """The referral, if this member of staff may see it (and triage it, if asked); else 404."""
    if triage and not request.user.has_perm(selectors.TRIAGE):
        raise Http404("No such referral.")
    referral = selectors.referrals_visible_to(request.user).filter(pk=pk).first()
    if referral is None:
        raise Http404("No such referral.")
    return referral


def _may_see_referrals(request) -> None:
    user = request.user
    if not (user.has_perm(selectors.TRIAGE) or user.has_perm(selectors.WORK_ON)):
        raise Http404("No such page.")


def queue(request):
    _may_see_referrals(request)
    now = timezone.now()
    waiting = selectors.queue(request.user)
    for referral in waiting:
        referral.waiting_days = referral.days_waiting(now)
    audit.record_listing(request, Referral)
    return TemplateResponse(
        request,
        "referrals/admin/queue.html",
        {
            "page_title": "Referrals",
            "high_risk": [r for r in waiting if r.high_risk],
            "community": [r for r in waiting if not r.high_risk],
            "mine": selectors.allocated_to(request.user),
            "allocated": selectors.allocated(request.user),
            "may_triage": request.user.has_perm(selectors.TRIAGE),
        },
    )


def detail(request, pk: int, *, forms_given: dict | None = None, status: int = 200):
    referral = _referral(request, pk)
    now = timezone.now()
    summary = plan_for_staff(request, referral.plan)
    audit.record_view(request, referral)
    may_triage = request.user.has_perm(selectors.TRIAGE)
    given = forms_given or {}
    return TemplateResponse(
        request,
        "referrals/admin/detail.html",
        {
            "page_title": f"Referral {referral.reference}",
            "referral": referral,
            "summary": summary,
            "next_window": services.next_safe_window(referral.plan, now),
            "now": now,
            "earlier": selectors.earlier_referrals(referral),
            # (label, url) pairs other apps add (a programme's places), each already checked
            # against this member of staff's scope there.
            "elsewhere": [
                link
                for links in hooks.get_hooks("referral_links")
                for link in links(request, referral)
            ],
            "attempts": referral.attempts.select_related("by"),
            "notes": referral.notes.select_related("author"),
            "handovers": referral.handovers.select_related(
                "from_worker", "to_worker", "from_locality", "to_locality", "by"
            ),
            "may_triage": may_triage,
            "may_handle_subject_requests": request.user.has_perm(selectors.SUBJECT_REQUESTS),
            "attempt_form": given.get("attempt") or AttemptForm(referral=referral),
            "decision_form": given.get("decision") or DecisionForm(referral=referral),
            "handover_form": given.get("handover") or HandoverForm(referral=referral),
            "closure_form": given.get("closure") or ClosureForm(),
            "note_form": given.get("note") or NoteForm(),
        },
        status=status,
    )


def _write(request, pk, *, key, form_class, action, triage, done):
    """Validate the posted form, run the service, and come back to the referral: with the
    form's errors (and what was typed) shown next to its fields when it fails."""
    referral = _referral(request, pk, triage=triage)
    kwargs = {} if form_class in (NoteForm, ClosureForm) else {"referral": referral}
    form = form_class(request.POST, **kwargs)
    if form.is_valid():
        try:
            action(referral, form.cleaned_data)
        except services.ReferralError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, done)
            return redirect("referrals_detail", pk=referral.pk)
    return detail(request, pk, forms_given={key: form}, status=400)


@require_POST
def log_attempt(request, pk: int):
    return _write(
        request,
        pk,
        key="attempt",
        form_class=AttemptForm,
        triage=False,
        done="Contact attempt logged.",
        action=lambda referral, data: services.log_attempt(
            referral,
            by=request.user,
            channel=data["channel"],
            outcome=data["outcome"],
            note=data["note"],
        ),
    )


@require_POST
def decide(request, pk: int):
    return _write(
        request,
        pk,
        key="decision",
        form_class=DecisionForm,
        triage=True,
        done="Outcome recorded.",
        action=lambda referral, data: services.decide(
            referral,
            by=request.user,
            outcome=data["outcome"],
            reason=data["reason"],
            worker=data["worker"],
        ),
    )


@require_POST
def hand_over(request, pk: int):
    return _write(
        request,
        pk,
        key="handover",
        form_class=HandoverForm,
        triage=True,
        done="Referral handed over.",
        action=lambda referral, data: services.hand_over(
            referral,
            by=request.user,
            reason=data["reason"],
            worker=data["worker"],
            locality=data["locality"],
        ),
    )


@require_POST
def add_note(request, pk: int):
    return _write(
        request,
        pk,
        key="note",
        form_class=NoteForm,
        triage=False,
        done="Case note added.",
        action=lambda referral, data: services.add_note(
            referral, by=request.user, text=data["text"]
        ),
    )


@require_POST
def close_case(request, pk: int):
    """The allocated worker, or a coordinator who sees the referral, closes the case."""
    return _write(
        request,
        pk,
        key="closure",
        form_class=ClosureForm,
        triage=False,
        done="Case closed.",
        action=lambda referral, data: services.close_case(
            referral, by=request.user, closure=data["closure"], note=data["closure_note"]
        ),
    )


@require_POST
def senior_review(request, pk: int):
    referral = _referral(request, pk, triage=True)
    try:
        services.complete_senior_review(referral, by=request.user)
    except services.ReferralError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Senior review recorded.")
    return redirect("referrals_detail", pk=referral.pk)


class SubjectRequestForm(forms.Form):
    referrals = forms.MultipleChoiceField(
        label="The referrals that are this person's",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick the referrals that are this person's"},
    )
    confirm = forms.BooleanField(
        label="I have checked who is asking, and nothing requires us to keep these records",
        required=False,
    )

    def __init__(self, *args, candidates: list[Referral], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referrals"].choices = [
            (str(r.pk), f"{r.reference}, {r.created_at:%d %B %Y}, {r.locality.name}: {r.plan.name}")
            for r in candidates
        ]
        self.fields["referrals"].initial = [str(candidates[0].pk)]


def subject_request(request, pk: int):
    """Subject access (a JSON download) or erasure of one person's referrals."""
    if not request.user.has_perm(selectors.SUBJECT_REQUESTS):
        raise Http404("No such referral.")
    referral = _referral(request, pk)
    candidates, elsewhere = subject_access.candidates(referral, request.user)
    form = SubjectRequestForm(request.POST or None, candidates=candidates)
    status = 200
    if request.method == "POST":
        status = 400
        erasing = request.POST.get("action") == "erase"
        if form.is_valid() and erasing and not form.cleaned_data["confirm"]:
            form.add_error("confirm", "Confirm you have checked, to erase")
        if form.is_valid():
            chosen = [r for r in candidates if str(r.pk) in form.cleaned_data["referrals"]]
            if erasing:
                erased = subject_access.erase(chosen, by=request.user)
                messages.success(request, f"Erased {erased} referral{'s' if erased != 1 else ''}.")
                return redirect("referrals_queue")
            response = JsonResponse(
                subject_access.export(chosen, by=request.user), json_dumps_params={"indent": 2}
            )
            response["Content-Disposition"] = 'attachment; filename="subject-access.json"'
            return response
    audit.record_view(request, referral, page="subject request")
    return TemplateResponse(
        request,
        "referrals/admin/subject_request.html",
        {
            "page_title": "Subject access and erasure",
            "referral": referral,
            "form": form,
            "elsewhere": elsewhere,
        },
        status=status,
    )
