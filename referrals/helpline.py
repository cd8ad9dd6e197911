"""The helpline in the staff area: a call recorded as it is taken, either as a referral with
source "helpline" (the fields of "Ask for support" and the safe-contact plan, worded about
the person) or as an advice contact (no personal data asked for). Coordinators take the
calls (`selectors.RECORD_CALLS`); a call may be for any locality, as the helpline is the
front door for all of them, and afterwards the referral is seen through the referrals'
scope, an advice contact through `selectors.advice_contacts_visible_to` (anything else is a
404). Forms are plain fields in reading order, so a call can be typed with the keyboard
alone; a failed submit shows everything typed again with the error next to its field."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from portal import audit
from portal.localities import Locality

from . import selectors, services
from .forms import TEXT_LIMIT, AskForSupportForm, ReferralPlanForm, _radios, _text
from .models import AdviceContact, AdviceTopic, CallerType, Kind, Source


class HelplineReferralForm(AskForSupportForm):
    """ "Ask for support" as the helpline worker types it: who called in place of who it is for."""

    caller_type = _radios("Who called?", CallerType.choices, error="Select who called")
    locality_label = "Which area does the person live in?"

    field_order = ["caller_type", "help_wanted", "name", "email", "date_of_birth", "postcode",
                   "locality", "helper_name", "helper_contact", "details", "access_needs",
                   "childcare_needs"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["for_whom"]
        self.fields["help_wanted"].label = "What kind of help would they like?"
        self.fields["helper_name"].label = "The caller's name (if not the person)"
        self.fields["helper_contact"].label = "How to reach the caller safely (if not the person)"
        self.fields["details"].label = "What prompted the call (optional)"
        self.fields["caller_type"].widget.attrs["autofocus"] = True

    def clean(self):
        data = super(AskForSupportForm, self).clean()
        if (
            data.get("caller_type") not in (None, CallerType.PERSON)
            and not data.get("helper_name", "").strip()
        ):
            self.add_error("helper_name", "Enter the caller's name, so we know who asked")
        return data


class AdviceContactForm(forms.Form):
    caller_type = _radios("Who called?", CallerType.choices, error="Select who called")
    topic = _radios("What was the call about?", AdviceTopic.choices, error="Select the topic")
    locality = forms.ModelChoiceField(
        label="Their area, if they said (optional)",
        queryset=Locality.objects.none(),
        required=False,
        empty_label="Not given",
    )
    advice = _text(
        "What was advised",
        required=True,
        area=True,
        limit=TEXT_LIMIT,
        error="Enter what was advised",
        help_text="No names or contact details are needed.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locality"].queryset = Locality.objects.in_person()
        self.fields["caller_type"].widget.attrs["autofocus"] = True
        for field in self.fields.values():
            field.widget.attrs["autocomplete"] = "off"


def _may_record_calls(request) -> None:
    if not request.user.has_perm(selectors.RECORD_CALLS):
        raise Http404("No such page.")


def calls(request):
    """The advice contacts this member of staff may see, newest first."""
    _may_record_calls(request)
    contacts = list(selectors.advice_contacts_visible_to(request.user)[:200])
    audit.record_listing(request, AdviceContact)
    return TemplateResponse(
        request,
        "referrals/admin/calls.html",
        {"page_title": "Helpline calls", "contacts": contacts},
    )


def advice_detail(request, pk: int):
    _may_record_calls(request)
    contact = selectors.advice_contacts_visible_to(request.user).filter(pk=pk).first()
    if contact is None:
        raise Http404("No such call.")
    audit.record_view(request, contact)
    return TemplateResponse(
        request,
        "referrals/admin/advice_detail.html",
        {"page_title": f"Helpline call {contact.pk}", "contact": contact},
    )


@never_cache
def record_advice(request):
    _may_record_calls(request)
    form = AdviceContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contact = services.record_advice(
                by=request.user,
                caller_type=data["caller_type"],
                topic=data["topic"],
                locality=data["locality"],
                advice=data["advice"],
            )
        except services.ReferralError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, "Advice call recorded.")
            return redirect("referrals_advice", pk=contact.pk)
    return TemplateResponse(
        request,
        "referrals/admin/record_call.html",
        {"page_title": "Record an advice call", "forms": [form], "form": form},
        status=400 if form.is_bound else 200,
    )


@never_cache
def record_referral(request):
    _may_record_calls(request)
    form = HelplineReferralForm(request.POST or None)
    plan_form = ReferralPlanForm(request.POST or None, about_the_person=True)
    form.plan_form = plan_form
    if request.method == "POST":
        form_ok, plan_ok = form.is_valid(), plan_form.is_valid()
        if plan_ok:
            plan_form.check_email(form)
        if form_ok and plan_ok and not form.errors:
            referral = _submit(request, form, plan_form)
            messages.success(request, f"Referral {referral.reference} recorded.")
            if selectors.referrals_visible_to(request.user).filter(pk=referral.pk).exists():
                return redirect("referrals_detail", pk=referral.pk)
            return redirect("referrals_calls")
    return TemplateResponse(
        request,
        "referrals/admin/record_call.html",
        {
            "page_title": "Record a referral from a call",
            "forms": [form, plan_form],
            "form": form,
            "plan_form": plan_form,
        },
        status=400 if form.is_bound else 200,
    )


def _submit(request, form, plan_form):
    data = form.cleaned_data
    caller_is_person = data["caller_type"] == CallerType.PERSON
    return services.submit(
        kind=Kind.HELPLINE,
        source=Source.HELPLINE,
        locality=data["locality_obj"],
        submission_key=data["submission"],
        person=services.Person(
            name=data["name"].strip(),
            email=data["email"].strip(),
            phone=plan_form.cleaned_data["phone"],
            date_of_birth=data["date_of_birth"],
        ),
        plan_values=plan_form.plan_values(),
        details={
            "caller_type": data["caller_type"],
            "postcode": data["postcode"],
            "help_wanted": dict(form.fields["help_wanted"].choices)[data["help_wanted"]],
            "access_needs": data["access_needs"].strip(),
            "childcare_needs": data["childcare_needs"].strip(),
            "details": data["details"].strip(),
            "referrer_name": "" if caller_is_person else data["helper_name"].strip(),
            "referrer_phone": "" if caller_is_person else data["helper_contact"].strip(),
        },
        now=timezone.now(),
        recorded_by=request.user,
    )
