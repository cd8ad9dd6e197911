"""The coordinator's shift forms (HTTP only: volunteers.services.shifts decides)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone

from portal.localities import Locality
from volunteers.models import SignUpMode, VolunteerRolePage

MAX_PLACES = 100
MAX_WEEKS = 26


class ShiftForm(forms.Form):
    role = forms.ModelChoiceField(
        queryset=VolunteerRolePage.objects.live().order_by("title"),
        error_messages={"required": "Choose the role."},
    )
    locality = forms.ModelChoiceField(
        queryset=Locality.objects.none(), error_messages={"required": "Choose the locality."}
    )
    day = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the day.", "invalid": "Enter a real date."},
    )
    starts = forms.TimeField(
        label="Starts at",
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"required": "Enter the start time.", "invalid": "Enter a time like 10:00."},
    )
    ends = forms.TimeField(
        label="Ends at",
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"required": "Enter the end time.", "invalid": "Enter a time, like 13:00."},
    )
    capacity = forms.IntegerField(
        label="Places",
        min_value=1,
        max_value=MAX_PLACES,
        error_messages={
            "required": "Enter how many volunteers it needs.",
            "min_value": "A shift needs at least 1 place.",
            "max_value": f"A shift has at most {MAX_PLACES} places.",
        },
    )
    sign_up = forms.ChoiceField(choices=SignUpMode.choices, widget=forms.RadioSelect)
    closes_hours_before = forms.IntegerField(
        label="Sign-up closes (hours before the start)",
        min_value=0,
        max_value=24 * 28,
        initial=24,
        error_messages={"min_value": "Enter 0 or more hours.", "max_value": "At most 4 weeks."},
    )
    venue = forms.CharField(
        required=False, max_length=300, help_text="Told only to the volunteers on it."
    )

    def __init__(self, *args, localities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locality"].queryset = localities

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        starts = timezone.make_aware(datetime.combine(data["day"], data["starts"]))
        ends = timezone.make_aware(datetime.combine(data["day"], data["ends"]))
        if ends <= starts:
            self.add_error("ends", "The end must be after the start.")
        elif starts <= timezone.now():
            self.add_error("day", "The shift must start in the future.")
        data["starts_at"], data["ends_at"] = starts, ends
        data["sign_up_closes_at"] = starts - timedelta(hours=data["closes_hours_before"])
        return data

    def shift_fields(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "role",
                "locality",
                "starts_at",
                "ends_at",
                "sign_up",
                "sign_up_closes_at",
                "venue",
            )
        }

    @classmethod
    def initial_for(cls, shift) -> dict:
        starts = timezone.localtime(shift.starts_at)
        return {
            "role": shift.role,
            "locality": shift.locality,
            "day": starts.date(),
            "starts": starts.time(),
            "ends": timezone.localtime(shift.ends_at).time(),
            "capacity": shift.capacity,
            "sign_up": shift.sign_up,
            "closes_hours_before": int((shift.starts_at - shift.sign_up_closes_at).total_seconds())
            // 3600,
            "venue": shift.venue,
        }


class NewShiftForm(ShiftForm):
    weeks = forms.IntegerField(
        label="Every week, this many times",
        min_value=1,
        max_value=MAX_WEEKS,
        initial=1,
        help_text="1 for a single shift; 12 makes the same shift weekly for 12 weeks.",
        error_messages={"min_value": "Enter 1 or more.", "max_value": f"At most {MAX_WEEKS}."},
    )


class FillForm(forms.Form):
    application = forms.ModelChoiceField(
        label="Volunteer",
        queryset=None,
        error_messages={"required": "Choose a volunteer.", "invalid_choice": "Choose a volunteer."},
    )

    def __init__(self, *args, volunteers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = volunteers
        self.fields["application"].label_from_instance = lambda a: (
            f"{a.user.get_full_name() or a.user.email} ({a.reference})"
        )
