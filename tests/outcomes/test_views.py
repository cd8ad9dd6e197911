"""The two screens, mounted for the test subject: the person's own and the staff one."""

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.audit import AuditEvent
from portal.outcomes.models import EnteredBy, Response
from tests.factories import UserFactory
from tests.outcomes.conftest import form_data
from tests.staff import sign_in_to_staff_area

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.outcomes.urls")]


def _own_url(member, occasion="start"):
    return reverse("test_member_own_answers", args=[member.pk, occasion])


def _staff_url(member, occasion="start"):
    return reverse("test_member_staff_answers", args=[member.pk, occasion])


@pytest.fixture
def person(member):
    member.user = UserFactory()
    member.save()
    return member.user


def test_the_person_sees_every_question_as_radios_with_prefer_not_to_answer(client, member, person):
    client.force_login(person)
    response = client.get(_own_url(member))
    assert response.status_code == 200
    html = response.content.decode()
    assert "been feeling optimistic about the future" in html
    assert "I feel safer" in html and "My quality of life" in html
    # 9 questions, 5 answers and "Prefer not to answer" each.
    assert html.count('type="radio"') == 9 * 6
    assert html.count("Prefer not to answer") >= 9
    assert "Tuesday group" not in html  # the page names neither the group nor the service's work
    assert "no-store" in response["Cache-Control"]


def test_a_question_left_out_gets_a_message_beside_it_and_the_other_answers_stay(
    client, member, person
):
    client.force_login(person)
    data = form_data(swemwbs=(5, 4, 3, 2, 1, 4, 4), safer=2)
    del data["swemwbs-item3"]
    response = client.post(_own_url(member), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Choose an answer to “I&#x27;ve been feeling relaxed”, or Prefer not to answer" in html
    assert 'href="#id_swemwbs-item3_1"' in html
    assert 'id="id_swemwbs-item3_1"' in html
    # What they chose is still chosen.
    assert html.count('checked="checked"') == 8
    assert "<title>Error:" in html
    assert not Response.objects.exists()


def test_the_person_saves_their_answers_and_may_correct_them(client, member, person):
    client.force_login(person)
    response = client.post(_own_url(member), form_data(safer=0))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    safer = Response.objects.get(measure="feel_safer")
    assert (safer.entered_by, safer.recorded_by, safer.score) == (EnteredBy.PERSON, person, None)
    html = client.get(_own_url(member)).content.decode()
    assert "You have answered these before" in html
    assert html.count('checked="checked"') == 9
    client.post(_own_url(member), form_data(safer=4))
    assert Response.objects.get(measure="feel_safer").score == 4


def test_an_answer_off_the_scale_gets_a_message_not_an_error(client, member, person):
    client.force_login(person)
    response = client.post(_own_url(member), form_data(safer=9))
    assert response.status_code == 200
    assert "Choose one of the answers to “I feel safer”" in response.content.decode()
    assert not Response.objects.exists()


@pytest.mark.parametrize("occasion", ["end", "middle"])
def test_an_occasion_not_open_or_unknown_is_a_404(client, member, person, occasion):
    client.force_login(person)
    # An unknown occasion matches no URL (the strict converter), so it is spelt out by hand.
    url = _own_url(member).replace("/start/", f"/{occasion}/")
    assert client.get(url).status_code == 404
    assert client.post(url, form_data()).status_code == 404
    assert not Response.objects.exists()


def test_another_persons_questions_are_a_404_and_signed_out_people_sign_in(client, member):
    response = client.get(_own_url(member))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(UserFactory())
    assert client.get(_own_url(member)).status_code == 404
    assert client.post(_own_url(member), form_data()).status_code == 404
    assert not Response.objects.exists()


@pytest.fixture
def coordinator(db):
    return UserFactory(roles=["Coordinator"], localities=["north"])


def test_staff_enter_a_paper_form_and_the_screen_is_an_audited_view(client, member, coordinator):
    sign_in_to_staff_area(client, coordinator)
    response = client.get(_staff_url(member))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ruth Member" in html and html.count('type="radio"') == 9 * 6
    view = AuditEvent.objects.get(action=AuditEvent.Action.VIEW, actor=coordinator)
    assert view.target_id == str(member.pk) and view.detail["outcomes"] == "start"
    paper_date = timezone.localdate().replace(day=1)
    response = client.post(
        _staff_url(member), form_data(answered_on=paper_date.strftime("%d/%m/%Y"))
    )
    assert response.status_code == 302
    rows = Response.objects.all()
    assert {(r.entered_by, r.recorded_by, r.answered_on) for r in rows} == {
        (EnteredBy.STAFF, coordinator, paper_date)
    }
    assert (
        AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, actor=coordinator).count() == 3
    )


def test_staff_get_a_message_for_a_date_in_the_future_and_nothing_is_lost(
    client, member, coordinator
):
    sign_in_to_staff_area(client, coordinator)
    data = form_data(answered_on="1/1/2999")
    del data["quality_of_life-quality"]
    html = client.post(_staff_url(member), data).content.decode()
    assert "The date on the paper form cannot be in the future" in html
    assert "Choose an answer to “My quality of life”" in html
    assert 'value="1/1/2999"' in html
    assert html.count("checked") == 8
    assert not Response.objects.exists()


def test_staff_outside_the_locality_get_a_404_and_commissioners_too(client, member):
    for user in (
        UserFactory(roles=["Coordinator"], localities=["south"]),
        UserFactory(roles=["Commissioner"]),
    ):
        client.logout()
        sign_in_to_staff_area(client, user)
        assert client.get(_staff_url(member)).status_code == 404
        assert client.post(_staff_url(member), form_data()).status_code == 404
    assert not Response.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()
