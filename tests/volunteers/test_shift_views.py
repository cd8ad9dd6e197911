"""The volunteer's shift pages: sign up, a clear message when refused, cancel, offers, and
another person's sign-up or a shift they may not do is a 404."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.places import HoldingStatus
from tests.volunteers import helpers
from volunteers.services import shifts

pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteer(roles, coordinator):
    return helpers.cleared(role=roles["drop_in"], coordinator=coordinator)


def test_the_list_shows_open_shifts_and_signing_up_gives_a_place(client, roles, volunteer):
    shift = helpers.shift(roles["drop_in"])
    office = helpers.shift(roles["office"], locality="south")
    client.force_login(volunteer.user)
    page = client.get(reverse("volunteers:shifts"))
    assert page.status_code == 200
    body = page.content.decode()
    assert f'id="shift-{shift.pk}"' in body and f'id="shift-{office.pk}"' not in body
    assert "<title>Your shifts</title>" in body
    response = client.post(reverse("volunteers:shift_sign_up", args=[shift.pk]))
    assert response.status_code == 302
    assert shift.holdings.get().status == HoldingStatus.CONFIRMED
    assert "Northgate Community Hub" in client.get(reverse("volunteers:shifts")).content.decode()


def test_an_overlapping_shift_is_refused_next_to_it(client, roles, volunteer):
    first = helpers.shift(roles["drop_in"])
    shifts.sign_up(first, volunteer)
    second = helpers.shift(roles["drop_in"])
    client.force_login(volunteer.user)
    response = client.post(reverse("volunteers:shift_sign_up", args=[second.pk]))
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body and f'href="#shift-{second.pk}"' in body
    assert "already have a place at that time" in body


def test_a_lapsed_dbs_hides_the_shift_and_a_forced_post_is_a_404(client, roles, coordinator):
    application = helpers.active(
        role=roles["drop_in"],
        coordinator=coordinator,
        dbs_issued_on=timezone.localdate() - timedelta(days=4 * 365),
    )
    helpers.attend(roles["course"], application.user)
    shift = helpers.shift(roles["drop_in"])
    client.force_login(application.user)
    assert f"shift-{shift.pk}" not in client.get(reverse("volunteers:shifts")).content.decode()
    assert client.post(reverse("volunteers:shift_sign_up", args=[shift.pk])).status_code == 404
    assert not shift.holdings.exists()


def test_another_volunteers_sign_up_is_a_404(client, roles, coordinator, volunteer):
    other = helpers.cleared(role=roles["drop_in"], coordinator=coordinator)
    theirs = shifts.sign_up(helpers.shift(roles["drop_in"]), other)
    client.force_login(volunteer.user)
    assert client.post(reverse("volunteers:shift_cancel", args=[theirs.pk])).status_code == 404
    offer = reverse("volunteers:shift_offer", args=[theirs.pk])
    assert client.post(offer, {"answer": "decline"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_confirmed


def test_someone_not_active_gets_a_404(client, roles):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("volunteers:shifts")).status_code == 404


def test_cancelling_inside_the_cut_off_is_refused_with_a_message(
    client, roles, volunteer, settings
):
    settings.VOLUNTEER_SHIFT_CANCEL_HOURS = 24 * 5
    signup = shifts.sign_up(helpers.shift(roles["drop_in"], starts_in_days=3), volunteer)
    client.force_login(volunteer.user)
    page = client.get(reverse("volunteers:shifts")).content.decode()
    assert "please ring your volunteer coordinator" in page
    response = client.post(reverse("volunteers:shift_cancel", args=[signup.pk]))
    assert response.status_code == 400 and "too close" in response.content.decode()
    signup.refresh_from_db()
    assert signup.is_confirmed


def test_an_offer_needs_an_answer(client, roles, coordinator, volunteer):
    other = helpers.cleared(role=roles["drop_in"], coordinator=coordinator)
    shift = helpers.shift(roles["drop_in"], capacity=1)
    taken = shifts.sign_up(shift, other)
    mine = shifts.sign_up(shift, volunteer)
    shifts.cancel(taken)
    client.force_login(volunteer.user)
    offer = reverse("volunteers:shift_offer", args=[mine.pk])
    assert client.post(offer, {"answer": "maybe"}).status_code == 400
    assert client.post(offer, {"answer": "accept"}).status_code == 302
    mine.refresh_from_db()
    assert mine.is_confirmed
