"""The volunteer's pages and the referee's page over HTTP: the roles page and its links,
save and resume, bad input (half-filled, oversized) never losing the draft, another
person's application a 404, a referee link used twice or after expiry."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.volunteers import helpers
from volunteers import services
from volunteers.models import Application, EqualityMonitoring, Reference, Stage

pytestmark = pytest.mark.django_db
APPLY = "/volunteer/apply/"


@pytest.fixture
def site_roles(home_page):
    return helpers.roles(home_page)


def _form(roles, **changes):
    data = {
        **{k: v for k, v in helpers.ANSWERS.items() if not isinstance(v, (list, bool))},
        "availability": helpers.ANSWERS["availability"],
        "roles": [roles["office"].pk],
        "localities": [roles["office"].localities.first().pk],
        "agrees_to_policies": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_roles_are_listed_and_linked_from_the_header_and_home_page(client, site_roles):
    response = client.get(site_roles["index"].url)
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Drop-in support volunteer",
        "One morning a week",
        "Enhanced",
        "North",
        "Safeguarding for volunteers",
        "Apply to volunteer",
    ):
        assert text in page
    assert "Office support volunteer" in page
    role = client.get(site_roles["drop_in"].url).content.decode()
    assert "A short debrief with a supervisor after each shift" in role
    home = client.get("/").content.decode()
    assert f'href="{site_roles["index"].url}"' in home
    assert "See the volunteer roles and apply" in home
    header = home.split("</header>")[0]
    assert "Volunteer with us" in header


def test_applying_needs_an_account(client, site_roles):
    response = client.get(APPLY)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_half_filled_draft_is_saved_and_resumed(client, site_roles):
    user = UserFactory()
    client.force_login(user)
    response = client.post(APPLY, {"save": "1", "phone": "07700 900999", "motivation": "Help"})
    assert response.status_code == 302
    client.logout()
    client.force_login(user)
    page = client.get(APPLY).content.decode()
    assert 'value="07700 900999"' in page and ">Help</textarea>" in page
    application = Application.objects.get(user=user)
    assert application.stage == Stage.DRAFT and application.motivation == "Help"
    account = client.get("/accounts/profile/").content.decode()
    assert "Continue your application to volunteer" in account


def test_sending_a_half_filled_application_says_what_is_missing_and_keeps_the_draft(
    client, site_roles
):
    user = UserFactory()
    client.force_login(user)
    response = client.post(APPLY, {"send": "1", "phone": "07700 900999", "referee_1_email": "bad"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_postcode">Enter your postcode' in page
    assert 'id="id_postcode-error"' in page
    assert "Enter the referee&#x27;s email address" in page
    assert 'value="bad"' in page, "what was typed is shown again"
    application = Application.objects.get(user=user)
    assert (application.stage, application.phone) == (Stage.DRAFT, "07700 900999")


def test_an_oversized_answer_is_refused_next_to_its_field_and_the_rest_kept(client, site_roles):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        APPLY, _form(site_roles, send="1", motivation="x" * 5001, postcode="RV9 9ZZ")
    )
    assert response.status_code == 200
    assert "Why would you like to volunteer with us? must be 5000 characters or fewer" in (
        response.content.decode()
    )
    application = Application.objects.get(user=user)
    assert application.stage == Stage.DRAFT
    assert application.postcode == "RV9 9ZZ" and application.motivation == ""


def test_the_same_referee_twice_is_refused(client, site_roles):
    client.force_login(UserFactory())
    response = client.post(APPLY, _form(site_roles, send="1", referee_2_email="RITA@example.org"))
    assert "Give two different referees" in response.content.decode()


def test_sending_shows_the_confirmation_and_emails_it(
    client, site_roles, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(APPLY, _form(site_roles, send="1"), follow=True)
    page = response.content.decode()
    application = Application.objects.get(user=user)
    assert application.stage == Stage.APPLIED
    assert "Application sent" in page and application.reference in page
    assert [m.to for m in mailoutbox] == [[user.email]]
    # Sent: the form leads to where it stands, and no longer changes it.
    assert client.get(APPLY)["Location"] == reverse("volunteers:application", args=[application.pk])
    assert application.lived_experience == "A private story"
    assert "A private story" not in page


def test_another_persons_application_is_a_404(client, site_roles):
    theirs = helpers.submitted(role=site_roles["office"])
    client.force_login(UserFactory())
    for name in ("application", "withdraw", "equality"):
        assert client.get(reverse(f"volunteers:{name}", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("volunteers:withdraw", args=[theirs.pk])).status_code == 404
    assert (
        client.post(
            reverse("volunteers:sign_agreement", args=[theirs.pk]), {"agree": "yes"}
        ).status_code
        == 404
    )
    assert client.get(reverse("volunteers:application", args=[999999])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.stage == Stage.APPLIED


def test_the_applicant_sees_where_they_stand_and_can_withdraw(client, site_roles, coordinator):
    application = helpers.submitted(role=site_roles["office"])
    services.move(application, Stage.ON_HOLD, by=coordinator, reason="Coordinator's private reason")
    client.force_login(application.user)
    page = client.get(reverse("volunteers:application", args=[application.pk])).content.decode()
    assert "paused for now" in page and "Coordinator&#x27;s private reason" not in page
    assert "private reason" not in page
    response = client.post(reverse("volunteers:withdraw", args=[application.pk]), follow=True)
    assert "Your application is withdrawn" in response.content.decode()
    application.refresh_from_db()
    assert application.stage == Stage.WITHDRAWN


def test_equality_answers_are_kept_apart_and_given_once(client, site_roles):
    application = helpers.submitted(role=site_roles["office"])
    client.force_login(application.user)
    url = reverse("volunteers:equality", args=[application.pk])
    response = client.post(url, {"age_band": "25_44", "gender": "Woman", "disability": "no"})
    assert response.status_code == 302
    answers = EqualityMonitoring.objects.get()
    assert answers.age_band == "25_44"
    assert {f.name for f in EqualityMonitoring._meta.get_fields()}.isdisjoint(
        {"user", "application"}
    )
    assert client.get(url).status_code == 302
    client.post(url, {"age_band": "under_25"})
    assert EqualityMonitoring.objects.count() == 1


def test_a_referee_link_used_twice_or_expired_reveals_nothing(client, site_roles, coordinator):
    application = helpers.at_stage(
        Stage.REFERENCES, role=site_roles["office"], coordinator=coordinator
    )
    first, second = application.references.all()
    url = reverse("volunteers:reference", args=[first.token])
    page = client.get(url)
    assert page.status_code == 200 and application.user.get_full_name() in page.content.decode()
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]
    bad = client.post(url, {"known_for": "", "recommends": ""})
    assert bad.status_code == 200
    assert "Tell us how long you have known them" in bad.content.decode()
    assert "Say whether you would recommend them" in bad.content.decode()
    done = client.post(url, {"known_for": "Six years", "recommends": "yes"})
    assert "Reference sent" in done.content.decode()
    again = client.post(url, {"known_for": "Changed", "recommends": "no"})
    assert again.status_code == 404
    assert application.user.get_full_name() not in again.content.decode()
    first.refresh_from_db()
    assert (first.known_for, first.recommends) == ("Six years", True)
    assert client.get("/volunteer/reference/forged-token/").status_code == 404
    assert client.get("/volunteer/reference/bad%20token/").status_code == 404
    with time_machine.travel(timezone.now() + timedelta(days=30)):
        expired = client.get(reverse("volunteers:reference", args=[second.token]))
    assert expired.status_code == 410 and "expired" in expired.content.decode()
    assert Reference.objects.get(pk=second.pk).status == Reference.Status.REQUESTED


def test_the_applicant_signs_the_agreement_and_becomes_active(client, site_roles, coordinator):
    application = helpers.submitted(role=site_roles["office"])
    Application.objects.filter(pk=application.pk).update(stage=Stage.AGREEMENT)
    client.force_login(application.user)
    url = reverse("volunteers:sign_agreement", args=[application.pk])
    response = client.post(url, follow=True)
    assert "Tick the box" in response.content.decode()
    client.post(url, {"agree": "yes"})
    application.refresh_from_db()
    assert application.stage == Stage.ACTIVE and application.agreement_signed_at
