"""Filter forms for the public pages. An unknown value is reported next to its field and
ignored: the page still shows everything else."""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator

from cms import page_cache
from cms.models.dropins import Weekday
from cms.models.taxonomy import Audience, Topic
from portal.localities import Locality

DAY_CHOICES = [("", "Any day")] + [(label.lower(), label) for label in Weekday.labels]
MAX_QUERY_LENGTH = 200


class SlugChoiceField(forms.ChoiceField):
    """A choice by slug that, like a ModelChoiceField, refuses null characters first."""

    def to_python(self, value):
        value = super().to_python(value)
        ProhibitNullCharactersValidator()(value)
        return value


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
    # Chosen by slug from the areas kept with the public pages, so the finder does not read
    # them again on every request.
    locality = SlugChoiceField(
        required=False,
        label="Area",
        error_messages={"invalid_choice": "Choose an area from the list"},
    )
    day = forms.ChoiceField(
        choices=DAY_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Choose a day from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.localities = {
            locality.slug: locality
            for locality in page_cache.remember(
                "in-person-localities", lambda: list(Locality.objects.in_person())
            )
        }
        self.fields["locality"].choices = [("", "All areas")] + [
            (slug, locality.name) for slug, locality in self.localities.items()
        ]

    def clean_locality(self) -> Locality | None:
        slug = self.cleaned_data["locality"]
        return self.localities[slug] if slug else None

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
