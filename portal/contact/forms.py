"""Forms for safe-contact plans: the person's own (My account, GOV.UK) and the staff one."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm

from portal.contact.models import WEEKDAYS, SafeContactPlan

DAY_CHOICES = [(str(number), day) for number, day in enumerate(WEEKDAYS)]
CHANNELS = {
    "email": ("email_is_safe", "Email"),
    "text": ("text_is_safe", "Text message"),
    "phone_call": ("phone_call_is_safe", "Phone call"),
    "letter": ("letter_is_safe", "Letter"),
}
NONE = "none"
TIME = re.compile(r"^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*$")
WINDOW_SEPARATOR = re.compile(r"\s*(?:-|–|to)\s*")
YES_NO = [("yes", "Yes"), ("no", "No")]


def clean_time(value: str) -> str:
    match = TIME.match(value or "")
    if not match:
        raise ValidationError("Enter a time in 24-hour format, like 09:30")
    return f"{int(match[1]):02d}:{match[2]}"


def clean_window(start: str, end: str) -> list[str]:
    start, end = clean_time(start), clean_time(end)
    if end <= start:
        raise ValidationError("The end of a safe time must be after its start, on the same day")
    return [start, end]


def parse_windows(text: str) -> list[list[str]]:
    """'09:00-12:00, 14:00 to 16:30' as [["09:00", "12:00"], ["14:00", "16:30"]]."""
    windows = []
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        pieces = WINDOW_SEPARATOR.split(part)
        if len(pieces) != 2:
            raise ValidationError("Enter each safe time as a start and an end, like 09:00-12:00")
        windows.append(clean_window(*pieces))
    return sorted(windows)


def format_windows(windows: list[list[str]]) -> str:
    return ", ".join(f"{start}-{end}" for start, end in windows)


def _yes_no(label: str, error: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": error},
    )


class OwnPlanForm(forms.Form):
    """What a person says about how they may be contacted (My account)."""

    channels = forms.MultipleChoiceField(
        label="How is it safe for us to contact you?",
        help_text="Select all that apply.",
        choices=[(key, label) for key, (_, label) in CHANNELS.items()]
        + [(NONE, "None of these: do not contact me")],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select how it is safe to contact you, or select none"},
    )
    phone = forms.CharField(
        label="Phone number (optional)",
        help_text="For phone calls and text messages.",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    safe_days = forms.MultipleChoiceField(
        label="Which days are safe? (optional)",
        help_text="Leave them all unselected if any day is safe.",
        choices=DAY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    window_start = forms.CharField(
        label="Safe from (optional)",
        help_text="UK time, 24-hour format, for example 09:30. Leave empty if any time is safe.",
        required=False,
        max_length=5,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
    )
    window_end = forms.CharField(
        label="Safe until (optional)",
        help_text="For example 17:00.",
        required=False,
        max_length=5,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
    )
    voicemail_allowed = _yes_no(
        "Can we leave a voicemail?", "Select yes if we can leave a voicemail"
    )
    voicemail_wording = forms.CharField(
        label="What may a voicemail say? (optional)",
        help_text="For example: 'Hi, it is Sam from the dentist, please call back.'",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    service_may_be_named = _yes_no(
        "Can we say who we are in emails, texts, calendar invites and voicemails?",
        "Select yes if we can say who we are",
    )
    location_in_calendar = _yes_no(
        "If we cannot say who we are, may calendar invites still give the place?",
        "Select yes if calendar invites may give the place",
    )
    preferred_name = forms.CharField(
        label="What name should we use? (optional)", required=False, max_length=100
    )
    language = forms.CharField(
        label="Which language do you prefer? (optional)", required=False, max_length=100
    )
    interpreter_needed = _yes_no(
        "Do you need an interpreter?", "Select yes if you need an interpreter"
    )
    alternative_contact = forms.CharField(
        label="Someone safe we can contact if we cannot reach you (optional)",
        help_text="Their name, and how to reach them.",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    @classmethod
    def initial_for(cls, plan: SafeContactPlan) -> dict:
        window = plan.safe_windows[0] if plan.safe_windows else ["", ""]
        yes = {True: "yes", False: "no"}
        return {
            "channels": [k for k, (field, _) in CHANNELS.items() if getattr(plan, field)] or [NONE],
            "phone": plan.contact_phone,
            "safe_days": [str(d) for d in plan.safe_days],
            "window_start": window[0],
            "window_end": window[1],
            "voicemail_allowed": yes[plan.voicemail_allowed],
            "voicemail_wording": plan.voicemail_wording,
            "service_may_be_named": yes[plan.service_may_be_named],
            "location_in_calendar": yes[plan.location_in_calendar],
            "preferred_name": plan.preferred_name,
            "language": plan.language,
            "interpreter_needed": yes[plan.interpreter_needed],
            "alternative_contact": plan.alternative_contact,
        }

    def clean_channels(self):
        channels = self.cleaned_data["channels"]
        if NONE in channels and len(channels) > 1:
            raise ValidationError("Select how it is safe to contact you, or select none, not both")
        return channels

    def clean(self):
        data = super().clean()
        start, end = data.get("window_start", ""), data.get("window_end", "")
        if start or end:
            try:
                data["safe_windows"] = [clean_window(start, end)]
            except ValidationError as error:
                bad_start = not TIME.match(start or "")
                self.add_error("window_start" if bad_start else "window_end", error)
        else:
            data["safe_windows"] = []
        channels = data.get("channels") or []
        if {"text", "phone_call"} & set(channels) and not data.get("phone", "").strip():
            self.add_error("phone", "Enter a phone number, or unselect phone calls and texts")
        return data

    def plan_values(self) -> dict:
        data = self.cleaned_data
        return {
            **{field: key in data["channels"] for key, (field, _) in CHANNELS.items()},
            "safe_days": sorted(int(d) for d in data["safe_days"]),
            "safe_windows": data["safe_windows"],
            "voicemail_allowed": data["voicemail_allowed"] == "yes",
            "voicemail_wording": data["voicemail_wording"].strip(),
            "service_may_be_named": data["service_may_be_named"] == "yes",
            "location_in_calendar": data["location_in_calendar"] == "yes",
            "preferred_name": data["preferred_name"].strip(),
            "language": data["language"].strip(),
            "interpreter_needed": data["interpreter_needed"] == "yes",
            "alternative_contact": data["alternative_contact"].strip(),
        }


class StaffPlanForm(WagtailAdminModelForm):
    """The staff form: days as checkboxes, safe times as '09:00-12:00, 14:00-16:00'."""

    safe_days = forms.TypedMultipleChoiceField(
        choices=DAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None selected: any day.",
    )
    safe_windows = forms.CharField(
        label="Safe times (UK time)",
        required=False,
        help_text="For example 09:00-12:00, 14:00-16:30. Empty: any time of a safe day.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["safe_windows"] = format_windows(self.instance.safe_windows)

    def clean_safe_windows(self):
        return parse_windows(self.cleaned_data["safe_windows"])

    def clean(self):
        data = super().clean()
        user = data.get("user")
        if not user and not (data.get("name") or "").strip():
            self.add_error("name", "Enter the person's name, or choose their account")
        return data
