from django import forms

from portal.attendance.models import AttendanceStatus
from portal.attendance.selectors import RegisterRow


class RegisterForm(forms.Form):
    """One set of radios per person; a person left unanswered stays unmarked."""

    def __init__(self, *args, rows: list[RegisterRow], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[self.field_name(row)] = forms.ChoiceField(
                label=row.entry.name,
                choices=AttendanceStatus.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=row.status,
            )

    @staticmethod
    def field_name(row: RegisterRow) -> str:
        return f"person-{row.entry.person.pk}"

    def people(self):
        """(row, bound field) pairs in register order, for the template."""
        return [(row, self[self.field_name(row)]) for row in self.rows]

    def statuses(self) -> dict[int, str]:
        return {
            row.entry.person.pk: self.cleaned_data[self.field_name(row)]
            for row in self.rows
            if self.cleaned_data.get(self.field_name(row))
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
