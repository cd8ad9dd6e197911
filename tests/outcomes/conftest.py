import pytest

from portal.localities import Locality
from portal.outcomes.measures import QUESTIONNAIRE
from tests.outcomes.subject_app.models import Circle, Member


def answers(swemwbs=(3,) * 7, safer=3, quality=3) -> dict[str, dict[str, int]]:
    """A whole questionnaire's answers (measure -> item -> value)."""
    swemwbs_measure, safer_measure, quality_measure = QUESTIONNAIRE
    return {
        "swemwbs": {item.key: v for item, v in zip(swemwbs_measure.items, swemwbs, strict=True)},
        "feel_safer": {safer_measure.items[0].key: safer},
        "quality_of_life": {quality_measure.items[0].key: quality},
    }


def form_data(swemwbs=(3,) * 7, safer=3, quality=3, **extra) -> dict[str, str]:
    return {
        f"{measure}-{item}": str(value)
        for measure, given in answers(swemwbs, safer, quality).items()
        for item, value in given.items()
    } | extra


@pytest.fixture
def north(db):
    return Locality.objects.get(slug="north")


@pytest.fixture
def circle(north):
    return Circle.objects.create(title="Tuesday group", locality=north)


@pytest.fixture
def member(circle):
    return Member.objects.create(circle=circle, name="Ruth Member")
