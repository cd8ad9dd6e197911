"""Every site starts with the topics, audiences and localities (a data migration), and the demo
seeding reuses them rather than adding its own."""

import pytest

from cms.models import Audience, Topic
from portal.localities import Locality

pytestmark = pytest.mark.django_db

TOPICS = [
    "physical",
    "emotional",
    "coercive-control",
    "economic",
    "sexual",
    "tech-abuse-and-stalking",
    "honour-based",
    "children-and-young-people",
]
AUDIENCES = ["survivors", "friends-and-family", "professionals", "employers"]
LOCALITIES = ["north", "central", "south", "online"]


def _slugs() -> tuple[list, list, list]:
    return tuple(
        list(model.objects.values_list("slug", flat=True)) for model in (Topic, Audience, Locality)
    )


def test_a_fresh_site_has_the_terms_without_any_demo():
    assert _slugs() == (TOPICS, AUDIENCES, LOCALITIES)
    assert Topic.objects.get(slug="tech-abuse-and-stalking").name == "Tech abuse and stalking"
    assert list(Locality.objects.values_list("name", flat=True)) == [
        "North",
        "Central",
        "South",
        "Online",
    ]
    assert list(Locality.objects.in_person().values_list("slug", flat=True)) == LOCALITIES[:3]


def test_the_demo_reuses_the_terms_even_after_an_editor_renamed_one():
    from cms import demo

    Topic.objects.filter(slug="economic").update(slug="money-and-economic-abuse")
    demo.seed()
    assert Topic.objects.count() == 8 and Audience.objects.count() == 4
    assert Locality.objects.count() == 4
