"""Filter forms for the public pages. An unknown value is reported next to its field and
ignored: the page still shows everything else."""

from django import forms

from cms.models.dropins import Weekday
from cms.models.taxonomy import Audience, Topic
from portal.localities import Locality

DAY_CHOICES = [("", "Any day")] + [(label.lower(), label) for label in Weekday.labels]
MAX_QUERY_LENGTH = 200


class FilterForm(forms.Form):
    def cleaned_filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "") and name not in self.errors
        }


class GuidanceFilterForm(FilterForm):
    topic = forms.ModelChoiceField(
        Topic.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="All topics",
        error_messages={"invalid_choice": "Choose a topic from the list"},
    )
    audience = forms.ModelChoiceField(
        Audience.objects.all(),
        to_field_name="slug",
        required=False,
        label="Written for",
        empty_label="Everyone",
        error_messages={"invalid_choice": "Choose who the guidance is for from the list"},
    )


class DropInFilterForm(FilterForm):
    locality = forms.ModelChoiceField(
        Locality.objects.in_person(),
        to_field_name="slug",
        required=False,
        label="Area",
        empty_label="All areas",
        error_messages={"invalid_choice": "Choose an area from the list"},
    )
    day = forms.ChoiceField(
        choices=DAY_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Choose a day from the list"},
    )

    def clean_day(self) -> int | None:
        day = self.cleaned_data["day"]
        return [label.lower() for label in Weekday.labels].index(day) if day else None


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search this site",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": f"Search for something shorter, up to {MAX_QUERY_LENGTH} characters"
        },
    )
