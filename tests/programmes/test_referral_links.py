"""A referral's staff page links to its places in programmes, only for those who run the
cohort: a coordinator of the referral's locality does not see an online cohort's place."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.programmes.builders import cohort, coordinator, enrolled, referred
from tests.staff import sign_in_to_staff_area

pytestmark = pytest.mark.django_db


def _referral_page(user, referral) -> str:
    client = Client()
    sign_in_to_staff_area(client, user)
    response = client.get(reverse("referrals_detail", args=[referral.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_referral_links_to_its_place_for_those_who_run_the_cohort(toolkit):
    north = coordinator("north")
    referral = referred("north", by=north)
    place = enrolled(cohort(toolkit, "north"), referral, by=north)
    html = _referral_page(north, referral)
    assert f'href="{reverse("programmes_enrolment", args=[place.pk])}"' in html
    assert "Place in Recovery Toolkit, North" in html and ": confirmed" in html


def test_a_place_outside_their_cohorts_is_not_linked(toolkit):
    north = coordinator("north")
    referral = referred("north", by=north)
    place = enrolled(cohort(toolkit, "online"), referral, by=coordinator("online"))
    html = _referral_page(north, referral)
    assert reverse("programmes_enrolment", args=[place.pk]) not in html
    assert 'id="elsewhere"' not in html
    both = coordinator("north", "online")
    assert reverse("programmes_enrolment", args=[place.pk]) in _referral_page(both, referral)
