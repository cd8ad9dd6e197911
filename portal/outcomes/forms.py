from __future__ import annotations

from dataclasses import dataclass

from crispy_forms_gds.choices import Choice
from django import forms
from django.utils import timezone

from portal.outcomes.measures import DECLINED, DECLINED_LABEL, QUESTIONNAIRE, Measure


@dataclass
class MeasureFields:
    measure: Measure
    fields: list  # bound fields, one per item


class AnswersForm(forms.Form):
    """Every question of the questionnaire as radios, each answered (or "Prefer not to
    answer"): a question left out gets its own message beside it, the others keep what was
    chosen. With `on_paper` (staff entering a paper form) it also asks the date on it."""

    def __init__(self, *args, measures=QUESTIONNAIRE, initial_answers=None, on_paper=False, **kw):
        super().__init__(*args, **kw)
        self.measures = measures
        self.on_paper = on_paper
        initial_answers = initial_answers or {}
        for definition in measures:
            given = initial_answers.get(definition.key, {})
            last = len(definition.choices) - 1
            # GOV.UK's "or" divider sets "Prefer not to answer" apart from the scale.
            choices = [
                Choice(value, label, **({"divider": "or"} if i == last else {}))
                for i, (value, label) in enumerate(definition.choices)
            ]
            for item in definition.items:
                self.fields[self.field_name(definition, item)] = forms.TypedChoiceField(
                    label=item.text,
                    choices=[*choices, Choice(DECLINED, DECLINED_LABEL)],
                    coerce=int,
                    widget=forms.RadioSelect,
                    initial=given.get(item.key),
                    error_messages={
                        "required": f"Choose an answer to “{item.text}”, or {DECLINED_LABEL}",
                        "invalid_choice": f"Choose one of the answers to “{item.text}”",
                    },
                )
        if on_paper:
            self.fields["answered_on"] = forms.DateField(
                label="Date on the paper form",
                help_text="The day they filled it in, for example 27/3/2026.",
                input_formats=["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"],
                initial=timezone.localdate,
                widget=forms.DateInput(attrs={"inputmode": "numeric"}, format="%d/%m/%Y"),
                error_messages={
                    "required": "Enter the date on the paper form",
                    "invalid": "Enter the date as day/month/year, for example 27/3/2026",
                },
            )

    @staticmethod
    def field_name(definition: Measure, item) -> str:
        return f"{definition.key}-{item.key}"

    def clean_answered_on(self):
        answered_on = self.cleaned_data["answered_on"]
        if answered_on > timezone.localdate():
            raise forms.ValidationError("The date on the paper form cannot be in the future")
        return answered_on

    def sections(self) -> list[MeasureFields]:
        return [
            MeasureFields(
                definition, [self[self.field_name(definition, item)] for item in definition.items]
            )
            for definition in self.measures
        ]

    def answers(self) -> dict[str, dict[str, int]]:
        return {
            definition.key: {
                item.key: self.cleaned_data[self.field_name(definition, item)]
                for item in definition.items
            }
            for definition in self.measures
        }
