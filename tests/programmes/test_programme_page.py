"""The public programme page: what editors wrote, the rules in plain words, the way to ask
for a place, and nothing about any cohort's venue."""

import pytest

from tests.programmes.builders import cohort

pytestmark = pytest.mark.django_db


def test_the_programme_page_says_how_it_runs_and_how_to_ask(client, toolkit, freedom):
    cohort(toolkit, venue="Hidden Hall, RV1 1AA")
    html = client.get(toolkit.url).content.decode()
    assert "Recovery Toolkit" in html and "Women who have lived with abuse." in html
    assert "12 weekly sessions" in html and "Everyone starts together" in html
    assert 'href="/support/"' in html
    assert "Hidden Hall" not in html
    assert "You can join at any week." in client.get(freedom.url).content.decode()


def test_completion_cannot_need_more_weeks_than_there_are(toolkit):
    from django.core.exceptions import ValidationError

    toolkit.sessions_to_complete = 13
    with pytest.raises(ValidationError):
        toolkit.full_clean()
