from datetime import timedelta
from decimal import Decimal

from django import forms

from portal.attendance.models import ATTENDED, AttendanceStatus
from portal.attendance.selectors import RegisterRow


class RegisterForm(forms.Form):
    """One set of radios per person; a person left unanswered stays unmarked. Where the
    register records time (`with_hours`), each person also has an optional "Hours" box:
    left empty, someone there is given the occurrence's length."""

    def __init__(self, *args, rows: list[RegisterRow], with_hours: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.with_hours = with_hours
        for row in rows:
            self.fields[self.field_name(row)] = forms.ChoiceField(
                label=row.entry.name,
                choices=AttendanceStatus.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=row.status,
            )
            if with_hours:
                self.fields[self.hours_name(row)] = forms.DecimalField(
                    label="Hours",
                    required=False,
                    min_value=Decimal("0.25"),
                    max_value=Decimal(24),
                    decimal_places=2,
                    initial=row.hours,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 5}),
                    error_messages={
                        "invalid": "Enter hours as a number, like 3 or 2.5",
                        "min_value": "Hours must be at least 0.25 (a quarter of an hour)",
                        "max_value": "Hours must be 24 or fewer",
                        "max_decimal_places": "Enter hours to no more than 2 decimal places",
                    },
                )

    @staticmethod
    def field_name(row: RegisterRow) -> str:
        return f"person-{row.entry.person.pk}"

    @staticmethod
    def hours_name(row: RegisterRow) -> str:
        return f"hours-{row.entry.person.pk}"

    def clean(self):
        cleaned = super().clean()
        for row in self.rows if self.with_hours else []:
            given = cleaned.get(self.hours_name(row))
            if given is not None and cleaned.get(self.field_name(row)) not in ATTENDED:
                self.add_error(
                    self.hours_name(row), "Mark them present or late to record their hours"
                )
        return cleaned

    def people(self):
        """(row, bound status field, bound hours field or None) in register order."""
        return [
            (
                row,
                self[self.field_name(row)],
                self[self.hours_name(row)] if self.with_hours else None,
            )
            for row in self.rows
        ]

    def statuses(self) -> dict[int, str]:
        return {
            row.entry.person.pk: self.cleaned_data[self.field_name(row)]
            for row in self.rows
            if self.cleaned_data.get(self.field_name(row))
        }

    def durations(self) -> dict[int, timedelta]:
        """person pk -> the time typed for them (people left empty get the default)."""
        return {
            row.entry.person.pk: timedelta(
                seconds=int(self.cleaned_data[self.hours_name(row)] * 3600)
            )
            for row in self.rows
            if self.with_hours and self.cleaned_data.get(self.hours_name(row)) is not None
        }


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="How would you rate it overall?",
        help_text="1 is poor, 5 is excellent.",
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a rating from 1 to 5"},
    )
    comment = forms.CharField(
        label="Anything you would like to tell us? (optional)",
        help_text="Do not include anyone's personal details.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "Comments must be 2,000 characters or fewer"},
    )
