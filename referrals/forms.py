"""The public forms: asking for support, and a professional's referral. Each is shown with
the shared safe-contact plan form (`portal.contact.forms.OwnPlanForm`, worded for the
person when someone else fills it in). Nothing typed is kept in the browser: every field
has autocomplete off, and the pages are not stored (see views)."""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from portal.contact.forms import OwnPlanForm
from portal.crypto import normalise_phone
from portal.localities import Locality

from . import dash
from .models import Source

NOT_SURE = "not_sure"
TEXT_LIMIT = 2000
SHORT_LIMIT = 200
POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
DATE_FORMATS = ("%d/%m/%Y", "%d %m %Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y")
HELP_WANTED = [
    ("local", "Talk to someone in my area"),
    ("counselling", "Counselling"),
    ("programme", "A group programme"),
    (NOT_SURE, "Not sure"),
]
FOR_WHOM = [("me", "Me"), ("someone_else", "Someone I know")]
PROFESSIONAL_SOURCES = [
    (Source.POLICE.value, "Police report (standard or medium risk)"),
    (Source.SCHOOL.value, "Operation Encompass notification (school)"),
    (Source.GP.value, "GP practice or Primary Care Network"),
    (Source.MENTAL_HEALTH.value, "Mental health provider or community link worker"),
    (Source.HOUSING.value, "Housing"),
    (Source.OTHER.value, "Another agency"),
]
DASH_CHOICES = [(dash.YES, "Yes"), (dash.NO, "No"), (dash.NOT_KNOWN, "Not known")]


def _text(label, *, required=False, limit=SHORT_LIMIT, area=False, help_text="", error=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}) if area else forms.TextInput,
        error_messages={
            "max_length": f"Keep this to {limit} characters or fewer",
            **({"required": error} if error else {}),
        },
    )


def _radios(label, choices, *, required=True, error=""):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        widget=forms.RadioSelect,
        error_messages={"required": error or f"Select {label[0].lower()}{label[1:]}".rstrip("?")},
    )


def clean_phone_number(value: str) -> str:
    value = (value or "").strip()
    if value:
        digits = normalise_phone(value)
        if not re.fullmatch(r"[\d\s()+-]+", value) or not (
            len(digits) in (10, 11) and digits.startswith("0")
        ):
            raise ValidationError("Enter a UK phone number, like 07700 900 982 or 0161 496 0000")
    return value


def clean_postcode(value: str) -> str:
    value = " ".join((value or "").upper().split())
    if value:
        match = POSTCODE.match(value)
        if not match:
            raise ValidationError("Enter a real postcode, like RV1 2AB")
        value = f"{match[1]} {match[2]}"
    return value


def clean_date_of_birth(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    for pattern in DATE_FORMATS:
        try:
            born = datetime.strptime(value, pattern).date()
        except ValueError:
            continue
        if not date(1900, 1, 1) <= born <= date.today():
            raise ValidationError("Date of birth must be a real date in the past")
        return born.isoformat()
    raise ValidationError("Enter the date of birth as day, month and year, like 27/03/1985")


def locality_for_postcode(postcode: str) -> Locality | None:
    """The locality whose postcode area (REFERRALS_POSTCODE_AREAS) holds this postcode."""
    outward = postcode.split(" ")[0] if postcode else ""
    slug = settings.REFERRALS_POSTCODE_AREAS.get(outward)
    return Locality.objects.filter(slug=slug).first() if slug else None


def _no_autocomplete(form: forms.Form) -> None:
    for bound in form.fields.values():
        bound.widget.attrs["autocomplete"] = "off"


class PersonForm(forms.Form):
    """Who the support is for, and where: shared by both forms."""

    name = _text("Full name", required=True, error="Enter the full name")
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address, like name@example.com"},
    )
    date_of_birth = _text("Date of birth (optional)", help_text="For example, 27/03/1985", limit=20)
    postcode = _text("Postcode (optional)", limit=10)
    locality = forms.ChoiceField(label="Which area do they live in?", widget=forms.RadioSelect)
    access_needs = _text("Access needs (optional)", area=True, limit=TEXT_LIMIT)
    childcare_needs = _text("Childcare needs (optional)", area=True, limit=TEXT_LIMIT)

    # A fresh key each time the empty form is shown, sent back with it (and kept through a
    # failed submit): the same form sent twice records one referral (`services.submit`).
    submission = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    locality_label = "Which area do they live in?"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission"].initial = secrets.token_urlsafe(24)
        self.fields["locality"].label = self.locality_label
        self.fields["locality"].choices = [
            (loc.slug, loc.name) for loc in Locality.objects.in_person()
        ] + [(NOT_SURE, "Not sure: use the postcode")]
        self.fields["locality"].error_messages["required"] = (
            "Select the area, or select not sure and enter the postcode"
        )
        _no_autocomplete(self)

    def clean_date_of_birth(self):
        return clean_date_of_birth(self.cleaned_data["date_of_birth"])

    def clean_postcode(self):
        return clean_postcode(self.cleaned_data["postcode"])

    def clean(self):
        data = super().clean()
        choice = data.get("locality")
        if choice == NOT_SURE:
            found = locality_for_postcode(data.get("postcode", ""))
            if found is None and "postcode" not in self.errors:
                self.add_error(
                    "postcode" if data.get("postcode") else "locality",
                    "We cannot tell the area from this postcode: select the area"
                    if data.get("postcode")
                    else "Select the area, or enter the postcode",
                )
            data["locality_obj"] = found
        elif choice:
            data["locality_obj"] = Locality.objects.get(slug=choice)
        return data


class AskForSupportForm(PersonForm):
    for_whom = _radios("Who is the support for?", FOR_WHOM, error="Select who the support is for")
    help_wanted = _radios(
        "What kind of help would you like?", HELP_WANTED, error="Select the help you would like"
    )
    helper_name = _text("Your name (if asking for someone you know)")
    helper_contact = _text("How can we reach you safely? (if asking for someone you know)")
    details = _text(
        "Is there anything you would like us to know? (optional)",
        area=True,
        limit=TEXT_LIMIT,
        help_text="Only what you are comfortable sharing.",
    )

    locality_label = "Which area do you (or they) live in?"
    field_order = ["for_whom", "help_wanted", "name", "email", "date_of_birth", "postcode",
                   "locality", "helper_name", "helper_contact", "details", "access_needs",
                   "childcare_needs"]  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("for_whom") == "someone_else" and not data.get("helper_name", "").strip():
            self.add_error("helper_name", "Enter your name, so we know who asked")
        return data


class ProfessionalReferralForm(PersonForm):
    referrer_name = _text("Your name", required=True, error="Enter your name")
    referrer_role = _text("Your role", required=True, error="Enter your role")
    referrer_agency = _text("Your agency or organisation", required=True, error="Enter your agency")
    referrer_email = forms.EmailField(
        label="Your work email address",
        max_length=254,
        error_messages={
            "required": "Enter your work email address",
            "invalid": "Enter an email address, like name@example.gov.uk",
        },
    )
    referrer_phone = _text("Your work phone number", required=True, limit=30,
                           error="Enter your work phone number")  # fmt: skip
    source = _radios("What kind of referral is this?", PROFESSIONAL_SOURCES,
                     error="Select what kind of referral this is")  # fmt: skip
    police_risk = _radios(
        "Police risk level (police reports)",
        [(dash.STANDARD, "Standard"), (dash.MEDIUM, "Medium")],
        required=False,
    )
    school_name = _text("The child's school (Operation Encompass)")
    school_told = forms.BooleanField(
        label="The school has been told (Operation Encompass)", required=False
    )
    consent = _radios(
        "Has the person consented to this referral?",
        [("given", "Yes, they consented"), ("not_given", "No: I am sharing on a lawful basis")],
        error="Select whether the person consented",
    )
    lawful_basis = _text(
        "If not: what you are sharing, why, and with whom",
        area=True,
        limit=TEXT_LIMIT,
        help_text="A senior member of the service reviews this within 48 hours.",
    )
    details = _text("What prompted this referral?", required=True, area=True, limit=TEXT_LIMIT,
                    error="Say what prompted this referral")  # fmt: skip
    judgement = _radios(
        "Your professional judgement of the risk",
        [(dash.STANDARD, "Standard"), (dash.MEDIUM, "Medium"), (dash.HIGH, "High")],
        error="Select your judgement of the risk",
    )
    incidents_last_year = forms.IntegerField(
        label="Incidents in the last 12 months that you know of (optional)",
        required=False,
        min_value=0,
        max_value=999,
        error_messages={"invalid": "Enter a number, like 2"},
    )

    locality_label = "Which area does the person live in?"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = "The person's full name"
        self.fields["email"].label = "The person's email address (optional)"
        for number, question in enumerate(dash.QUESTIONS, start=1):
            self.fields[f"dash_{number}"] = forms.ChoiceField(
                label=f"{number}. {question}",
                choices=DASH_CHOICES,
                required=False,
                widget=forms.RadioSelect,
            )
        _no_autocomplete(self)

    def clean_referrer_phone(self):
        return clean_phone_number(self.cleaned_data["referrer_phone"])

    def clean(self):
        data = super().clean()
        if data.get("consent") == "not_given" and not data.get("lawful_basis", "").strip():
            self.add_error(
                "lawful_basis",
                "Without consent, say what you are sharing, why and with whom (the lawful basis)",
            )
        if data.get("source") == Source.POLICE and not data.get("police_risk"):
            self.add_error("police_risk", "Select the police risk level: standard or medium")
        if data.get("source") == Source.SCHOOL and not data.get("school_name", "").strip():
            self.add_error("school_name", "Enter the child's school")
        return data

    def dash_fields(self):
        return [self[f"dash_{n}"] for n in range(1, len(dash.QUESTIONS) + 1)]

    def answers(self) -> dict[int, str]:
        return {
            n: self.cleaned_data[f"dash_{n}"]
            for n in range(1, len(dash.QUESTIONS) + 1)
            if self.cleaned_data.get(f"dash_{n}")
        }


class ReferralPlanForm(OwnPlanForm):
    """The shared safe-contact plan form; for a professional, worded about the person."""

    THIRD_PERSON = {
        "channels": "How is it safe for us to contact them?",
        "phone": "Their phone number (optional)",
        "safe_days": "Which days are safe? (optional)",
        "voicemail_allowed": "Can we leave them a voicemail?",
        "service_may_be_named": "Can we say who we are in emails, texts, calendar invites and "
        "voicemails to them?",
        "preferred_name": "What name should we use for them? (optional)",
        "language": "Which language do they prefer? (optional)",
        "interpreter_needed": "Do they need an interpreter?",
        "alternative_contact": "Someone safe we can contact if we cannot reach them (optional)",
    }

    def __init__(self, *args, about_the_person: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if about_the_person:
            for name, label in self.THIRD_PERSON.items():
                self.fields[name].label = label
        _no_autocomplete(self)

    def clean_phone(self):
        return clean_phone_number(self.cleaned_data["phone"])

    def check_email(self, person: PersonForm) -> None:
        """Email marked safe needs an address to write to."""
        chosen = "email" in (self.cleaned_data.get("channels") or [])
        if chosen and "email" not in person.errors and not person.cleaned_data.get("email"):
            person.add_error("email", "Enter an email address, or unselect email as safe")
