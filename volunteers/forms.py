"""The application (a draft accepts anything half-filled; sending needs it all), the
referee's form, equality monitoring, and the coordinator's forms in the staff area."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from portal.localities import Locality
from volunteers.models import (
    AVAILABILITY_CHOICES,
    DBSCheck,
    DBSLevel,
    EqualityMonitoring,
    VolunteerRolePage,
)

LONG_TEXT = 5000
SHORT_TEXT = 200

# What sending needs, and the message when it is missing.
REQUIRED_TO_SEND = {
    "phone": "Enter a phone number we can reach you on",
    "postcode": "Enter your postcode",
    "localities": "Choose at least one area you could volunteer in",
    "availability": "Choose at least one time you are usually free",
    "roles": "Choose at least one role you are interested in",
    "motivation": "Tell us why you would like to volunteer",
    "referee_1_name": "Enter the name of your first referee",
    "referee_1_email": "Enter the email address of your first referee",
    "referee_1_relationship": "Tell us how your first referee knows you",
    "referee_2_name": "Enter the name of your second referee",
    "referee_2_email": "Enter the email address of your second referee",
    "referee_2_relationship": "Tell us how your second referee knows you",
    "agrees_to_policies": "Confirm that you agree to the volunteer policies",
}


def _text(label: str, *, long: bool = False, help_text: str = "", **kwargs) -> forms.CharField:
    limit = LONG_TEXT if long else SHORT_TEXT
    return forms.CharField(
        label=label,
        required=False,
        max_length=limit,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 5}) if long else forms.TextInput,
        error_messages={"max_length": f"{label} must be {limit} characters or fewer"},
        **kwargs,
    )


class ApplicationForm(forms.Form):
    phone = _text("Phone number")
    postcode = _text("Postcode")
    localities = forms.ModelMultipleChoiceField(
        label="Where could you volunteer?",
        queryset=Locality.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.MultipleChoiceField(
        label="When are you usually free?",
        choices=AVAILABILITY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    roles = forms.ModelMultipleChoiceField(
        label="Which roles interest you?",
        queryset=VolunteerRolePage.objects.live().order_by("title"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    experience = _text("Relevant experience", long=True, help_text="Paid, voluntary or personal.")
    motivation = _text("Why would you like to volunteer with us?", long=True)
    lived_experience = _text(
        "Lived experience (optional)",
        long=True,
        help_text="If you want to, tell us about any lived experience of domestic abuse. Only "
        "the volunteer coordinator reads this, and it is never a reason for a decision about "
        "your application.",
    )
    conflicts_of_interest = _text(
        "Conflicts of interest",
        long=True,
        help_text="Anyone you know who may use the service, or anything else we should know.",
    )
    referee_1_name = _text("Full name")
    referee_1_email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=SHORT_TEXT,
        error_messages={"invalid": "Enter the referee's email address, like name@example.com"},
    )
    referee_1_relationship = _text("How do they know you?")
    referee_2_name = _text("Full name")
    referee_2_email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=SHORT_TEXT,
        error_messages={"invalid": "Enter the referee's email address, like name@example.com"},
    )
    referee_2_relationship = _text("How do they know you?")
    agrees_to_policies = forms.BooleanField(
        label="I have read and agree to the volunteer policies", required=False
    )

    REFEREE_GROUPS = (
        ("First referee", ("referee_1_name", "referee_1_email", "referee_1_relationship")),
        ("Second referee", ("referee_2_name", "referee_2_email", "referee_2_relationship")),
    )

    def __init__(self, *args, sending: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.sending = sending

    def clean(self):
        data = super().clean()
        if self.sending:
            for name, message in REQUIRED_TO_SEND.items():
                if name not in self.errors and not data.get(name):
                    self.add_error(name, message)
            first = (data.get("referee_1_email") or "").strip().lower()
            second = (data.get("referee_2_email") or "").strip().lower()
            if first and first == second and "referee_2_email" not in self.errors:
                self.add_error("referee_2_email", "Give two different referees")
        return data

    def valid_answers(self) -> dict:
        """The answers that passed their own checks, to keep in the draft whatever else
        failed (after is_valid())."""
        return {name: value for name, value in self.cleaned_data.items() if name not in self.errors}

    @classmethod
    def initial_for(cls, application) -> dict:
        from volunteers.services.application import APPLICATION_FIELDS, referees

        initial = {name: getattr(application, name) for name in APPLICATION_FIELDS}
        if application.pk:
            initial["localities"] = list(application.localities.all())
            initial["roles"] = list(application.roles.all())
            for position, reference in referees(application).items():
                for field in ("name", "email", "relationship"):
                    initial[f"referee_{position}_{field}"] = getattr(reference, field)
        return initial


class ReferenceForm(forms.Form):
    known_for = _text("How long have you known them, and in what capacity?", long=True)
    suitability = _text(
        "Is there anything about their suitability to support people affected by domestic "
        "abuse we should know?",
        long=True,
    )
    concerns = _text(
        "Do you have any concerns about them working with adults or children at risk?", long=True
    )
    recommends = forms.TypedChoiceField(
        label="Would you recommend them as a volunteer?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you would recommend them"},
    )

    def clean(self):
        data = super().clean()
        if "known_for" not in self.errors and not data.get("known_for"):
            self.add_error("known_for", "Tell us how long you have known them")
        return data


class EqualityForm(forms.ModelForm):
    class Meta:
        model = EqualityMonitoring
        fields = ["age_band", "gender", "ethnicity", "disability", "sexual_orientation"]
        widgets = {
            "age_band": forms.RadioSelect,
            "disability": forms.RadioSelect,
        }
        labels = {
            "age_band": "Your age",
            "gender": "Your gender (optional)",
            "ethnicity": "Your ethnic group (optional)",
            "disability": "Do you consider yourself to have a disability?",
            "sexual_orientation": "Your sexual orientation (optional)",
        }


class MoveForm(forms.Form):
    to_stage = forms.CharField(max_length=16)
    reason = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label="Why they may become active without all the evidence",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for the override"},
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Note",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the note"},
    )


class DBSForm(forms.Form):
    level = forms.ChoiceField(label="Level", choices=DBSLevel.choices)
    certificate_number = forms.RegexField(
        label="Certificate number",
        regex=r"^\s*\d{12}\s*$",
        error_messages={
            "invalid": "Enter the 12-digit certificate number",
            "required": "Enter the 12-digit certificate number",
        },
    )
    issued_on = forms.DateField(
        label="Issue date",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the issue date", "required": "Enter the issue date"},
    )
    update_service = forms.BooleanField(
        label="Subscribed to the DBS Update Service", required=False
    )
    outcome = forms.ChoiceField(label="Outcome", choices=DBSCheck.Outcome.choices)
    status_checked_on = forms.DateField(
        label="Update Service status last checked (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the date the status was checked"},
    )

    def clean_issued_on(self):
        issued = self.cleaned_data["issued_on"]
        if issued > timezone.localdate():
            raise forms.ValidationError("The issue date must be today or in the past")
        return issued

    def clean_status_checked_on(self):
        checked = self.cleaned_data["status_checked_on"]
        if checked and checked > timezone.localdate():
            raise forms.ValidationError("The status check date must be today or in the past")
        return checked


class StepDownForm(forms.Form):
    reason = forms.CharField(
        label="Why are you stepping down? (optional)",
        help_text="It helps us support volunteers better. Only the volunteer coordinators read it.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Keep your reason under 2000 characters"},
    )
