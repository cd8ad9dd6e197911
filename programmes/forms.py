"""Forms of the participant's pages and the staff screens (HTTP only: the services decide)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from programmes.models import Cohort, ProgrammeSession
from programmes.services import MAX_TEXT
from referrals.models import AttemptChannel, AttemptOutcome

TOO_LONG = "Keep this to %(limit_value)d characters or fewer (it has %(show_value)d)."


def _text(label: str, *, required: bool = False, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_TEXT,
        error_messages={"max_length": TOO_LONG},
        widget=forms.Textarea(attrs={"rows": rows, "class": "govuk-textarea"}),
    )


class WeekChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, session: ProgrammeSession) -> str:
        local = timezone.localtime(session.starts_at)
        return f"{local:%A %-d %B}, {local:%-I:%M%p}".replace("AM", "am").replace("PM", "pm")


class ApologyForm(forms.Form):
    session = WeekChoiceField(
        label="Which week will you miss?",
        queryset=ProgrammeSession.objects.none(),
        empty_label="Choose a week",
        error_messages={"required": "Choose the week you will miss."},
    )
    reason = _text("Anything you want us to know (optional)")

    def __init__(self, *args, weeks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = weeks


class WithdrawForm(forms.Form):
    reason = _text("Why are you leaving? (optional)")


class AssessmentForm(forms.Form):
    suitable = forms.TypedChoiceField(
        label="Outcome of the assessment",
        choices=[("yes", "Suitable: a place may be offered"), ("no", "Not suitable now")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    notes = _text("Notes (optional)")


class ReferralAssessmentForm(AssessmentForm):
    referral = forms.ModelChoiceField(label="Referral", queryset=None)

    field_order = ["referral", "suitable", "notes"]

    def __init__(self, *args, referrals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referral"].queryset = referrals


class OfferForm(forms.Form):
    referral = forms.ModelChoiceField(label="Referral", queryset=None)

    def __init__(self, *args, referrals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referral"].queryset = referrals


class MoveForm(forms.Form):
    starts_at = forms.DateTimeField(
        label="New date and time", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class PhoneAnswerForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label="Their answer",
        choices=[("yes", "They accept the place"), ("no", "They turn it down")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


class CheckInAttemptForm(forms.Form):
    channel = forms.ChoiceField(label="How", widget=forms.RadioSelect)
    outcome = forms.ChoiceField(
        label="What happened", choices=AttemptOutcome.choices, widget=forms.RadioSelect
    )
    note = _text("Note (optional)", rows=2)

    def __init__(self, *args, safe_channels: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [
            (value, label) for value, label in AttemptChannel.choices if value in safe_channels
        ]


class NewCohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = [
            "programme",
            "locality",
            "venue",
            "start_date",
            "start_time",
            "weeks",
            "capacity",
            "creche_places",
            "facilitators",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "venue": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        from portal import scope
        from portal.localities import Locality

        self.fields["weeks"].required = False
        self.fields["weeks"].help_text = "Empty: the programme's number of weeks."
        localities = Locality.objects.all()
        if not scope.sees_everything(user):
            localities = localities.filter(pk__in=scope.locality_ids(user))
        self.fields["locality"].queryset = localities
        self.fields["facilitators"].queryset = (
            get_user_model().objects.filter(groups__name="Programme facilitator").distinct()
        )


class EditCohortForm(forms.Form):
    capacity = forms.IntegerField(label="Places", min_value=1, max_value=500)
    creche_places = forms.IntegerField(label="Crèche places", min_value=0, max_value=100)
    venue = forms.CharField(
        label="Venue (name and address)",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    facilitators = forms.ModelMultipleChoiceField(
        label="Facilitators", queryset=None, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["facilitators"].queryset = (
            get_user_model().objects.filter(groups__name="Programme facilitator").distinct()
        )
