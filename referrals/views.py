"""The public front door: ask for support, and a professional's referral. No account is
needed; nothing is stored in the browser (never_cache: no-store) and a failed submit shows
everything typed again, from the request, with the error next to its field."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from portal.accounts.selectors import verified_emails

from . import selectors, services
from .forms import AskForSupportForm, ProfessionalReferralForm, ReferralPlanForm
from .models import Kind, Source


def _high_risk_contact() -> dict:
    return {
        "name": settings.REFERRALS_HIGH_RISK_NAME,
        "phone": settings.REFERRALS_HIGH_RISK_PHONE,
        "email": settings.REFERRALS_HIGH_RISK_EMAIL,
    }


def _person(form) -> services.Person:
    data = form.cleaned_data
    return services.Person(
        name=data["name"].strip(),
        email=data["email"].strip(),
        phone=form.plan_form.cleaned_data["phone"],
        date_of_birth=data["date_of_birth"],
    )


def _valid(form, plan_form) -> bool:
    form.plan_form = plan_form
    form_ok, plan_ok = form.is_valid(), plan_form.is_valid()
    if plan_ok:
        plan_form.check_email(form)
    return form_ok and plan_ok and not form.errors


def _page(request, template, form, plan_form, **context):
    status = 400 if form.is_bound else 200
    return render(
        request,
        template,
        {
            "form": form,
            "plan_form": plan_form,
            "forms": [form, plan_form],
            "high_risk_contact": _high_risk_contact(),
            **context,
        },
        status=status,
    )


@never_cache
def ask_for_support(request):
    form = AskForSupportForm(request.POST or None)
    plan_form = ReferralPlanForm(request.POST or None)
    if request.method == "POST" and _valid(form, plan_form):
        data = form.cleaned_data
        someone_else = data["for_whom"] == "someone_else"
        referral = services.submit(
            kind=Kind.SELF,
            source=Source.FRIEND_FAMILY if someone_else else Source.SELF,
            locality=data["locality_obj"],
            submission_key=data["submission"],
            person=_person(form),
            plan_values=plan_form.plan_values(),
            details={
                "postcode": data["postcode"],
                "help_wanted": dict(form.fields["help_wanted"].choices)[data["help_wanted"]],
                "access_needs": data["access_needs"].strip(),
                "childcare_needs": data["childcare_needs"].strip(),
                "details": data["details"].strip(),
                "referrer_name": data["helper_name"].strip() if someone_else else "",
                "referrer_phone": data["helper_contact"].strip() if someone_else else "",
            },
        )
        return render(
            request,
            "referrals/asked.html",
            {"referral": referral, "emailed": referral.acknowledged},
        )
    return _page(request, "referrals/ask.html", form, plan_form)


def _referrer_account(request):
    """The signed-in professional a referral is linked to: only one who has proved an email
    address is theirs (anyone can open an account in another's name)."""
    user = request.user
    return user if user.is_authenticated and verified_emails(user) else None


@never_cache
def professional_referral(request):
    account = _referrer_account(request)
    initial = (
        {"referrer_name": account.get_full_name(), "referrer_email": account.email}
        if account
        else {}
    )
    form = ProfessionalReferralForm(request.POST or None, initial=initial)
    plan_form = ReferralPlanForm(request.POST or None, about_the_person=True)
    if request.method == "POST" and _valid(form, plan_form):
        data = form.cleaned_data
        referral = services.submit(
            kind=Kind.PROFESSIONAL,
            source=data["source"],
            locality=data["locality_obj"],
            submission_key=data["submission"],
            person=_person(form),
            plan_values=plan_form.plan_values(),
            details={
                "postcode": data["postcode"],
                "access_needs": data["access_needs"].strip(),
                "childcare_needs": data["childcare_needs"].strip(),
                "details": data["details"].strip(),
                "referrer_name": data["referrer_name"].strip(),
                "referrer_role": data["referrer_role"].strip(),
                "referrer_agency": data["referrer_agency"].strip(),
                "referrer_email": data["referrer_email"].strip(),
                "referrer_phone": data["referrer_phone"],
                "consent_given": data["consent"] == "given",
                "lawful_basis": data["lawful_basis"].strip()
                if data["consent"] == "not_given"
                else "",
                "police_risk": data["police_risk"] if data["source"] == Source.POLICE else "",
                "school_name": data["school_name"].strip()
                if data["source"] == Source.SCHOOL
                else "",
                "school_told": data["school_told"] if data["source"] == Source.SCHOOL else None,
                "referred_by": account,
            },
            risk=services.Risk(
                answers=form.answers(),
                judgement=data["judgement"],
                incidents_last_year=data["incidents_last_year"],
                stated_level=data["police_risk"] if data["source"] == Source.POLICE else "",
            ),
        )
        return render(
            request,
            "referrals/referred.html",
            {"referral": referral, "high_risk_contact": _high_risk_contact()},
        )
    return _page(request, "referrals/professional.html", form, plan_form, account=account)


@never_cache
@login_required
def referral_made(request, reference: str):
    """One referral this person made, as My account lists it. Anyone else's (or none): 404."""
    referral = selectors.referrals_made_by(request.user).filter(reference=reference).first()
    if referral is None:
        raise Http404("No such referral.")
    return render(request, "referrals/made.html", {"referral": referral})
