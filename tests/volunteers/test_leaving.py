"""Leaving: an active volunteer steps down (record closed, reason optional, kept
encrypted), and the subject-access download of a volunteer's own data: what it holds, what
it leaves out, that it is audited, and that another person's is a 404."""

import json
from datetime import date

import pytest
from django.urls import reverse

from portal.models import AuditEvent
from tests.factories import UserFactory
from tests.volunteers import helpers
from volunteers import services
from volunteers.models import Application, Stage, StageChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteer(roles, coordinator):
    """Active, with one reference answered, a DBS record and a coordinator's note."""
    application = helpers.at_stage(Stage.REFERENCES, role=roles["office"], coordinator=coordinator)
    first = application.references.get(position=1)
    services.answer_reference(
        first.token,
        {
            "known_for": "Six years",
            "suitability": "A referee's confidential view",
            "concerns": "",
            "recommends": True,
        },
    )
    services.record_dbs(
        application,
        by=coordinator,
        level="basic",
        certificate_number="009876543210",
        issued_on=date(2026, 1, 5),
        update_service=True,
        outcome="clear",
    )
    services.add_note(application, by=coordinator, text="A coordinator's private note")
    return services.override_to_active(application, by=coordinator, reason="Second referee away")


def test_the_export_holds_what_they_gave_and_the_record_about_them(client, volunteer):
    client.force_login(volunteer.user)
    page = client.get(reverse("volunteers:application", args=[volunteer.pk])).text
    url = reverse("volunteers:my_data", args=[volunteer.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["email"] == volunteer.user.email
    answers = data["application"]
    assert answers["motivation"] == helpers.ANSWERS["motivation"]
    assert answers["lived_experience"] == "A private story"  # theirs, so theirs to have
    assert answers["roles"] == ["Office support volunteer"]
    assert answers["stage"] == "Active"
    assert [(s["from"], s["to"]) for s in data["stages"]][-1] == ("References", "Active")
    referees = {r["referee_name"]: r for r in data["references"]}
    assert referees["Rita Referee"]["status"] == "Received"
    assert referees["Rob Referee"]["status"] == "Requested"
    assert data["dbs_check"]["certificate_number"] == "009876543210"
    assert data["dbs_check"]["outcome"] == "Clear"
    assert data["dbs_check"]["update_service"] is True
    text = response.content.decode()
    # Referees' answers (confidential references) and coordinators' notes and reasons
    # are for a reviewed subject access request, and the file says so.
    for withheld in ("A referee's confidential view", "Six years", "private note", "away"):
        assert withheld not in text
    assert "subject access request" in data["about_this_copy"]
    (event,) = AuditEvent.objects.filter(action="export", target_id=str(volunteer.pk))
    assert event.actor == volunteer.user


def test_another_persons_export_is_a_404(client, volunteer):
    url = reverse("volunteers:my_data", args=[volunteer.pk])
    client.force_login(UserFactory())
    response = client.get(url)
    assert response.status_code == 404
    assert b"Rita" not in response.content
    assert not AuditEvent.objects.filter(action="export").exists()
    client.logout()
    assert client.get(url).status_code == 302  # to sign in


def test_an_active_volunteer_steps_down_with_an_optional_reason(
    client, volunteer, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(volunteer.user)
    page = client.get(reverse("volunteers:application", args=[volunteer.pk])).text
    url = reverse("volunteers:step_down", args=[volunteer.pk])
    assert url in page
    assert reverse("volunteers:withdraw", args=[volunteer.pk]) not in page
    too_long = client.post(url, {"reason": "x" * 2001})
    assert too_long.status_code == 200
    assert "Keep your reason under 2000 characters" in too_long.text
    assert "govuk-error-summary" in too_long.text
    assert "x" * 2001 in too_long.text  # nothing typed is lost
    volunteer.refresh_from_db()
    assert volunteer.stage == Stage.ACTIVE
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Moving away"})
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.stage == Stage.STEPPED_DOWN and volunteer.is_closed
    change = StageChange.objects.filter(application=volunteer).last()
    assert (change.to_stage, change.reason, change.by) == (
        Stage.STEPPED_DOWN,
        "Moving away",
        volunteer.user,
    )
    assert [m.to for m in mailoutbox][-1] == [volunteer.user.email]
    # The record is closed: stepping down again does nothing, and they may apply again.
    assert client.get(url).status_code == 302
    assert services.draft_for(volunteer.user).pk != volunteer.pk


def test_only_an_active_volunteer_steps_down_and_an_active_one_does_not_withdraw(
    roles, coordinator, volunteer
):
    applied = helpers.submitted(role=roles["office"])
    with pytest.raises(services.ApplicationError):
        services.step_down(applied, by=applied.user)
    with pytest.raises(services.ApplicationError):
        services.withdraw(volunteer, by=volunteer.user)
    services.step_down(volunteer, by=volunteer.user)
    assert Application.objects.get(pk=volunteer.pk).stage == Stage.STEPPED_DOWN
    # No DBS renewal reminder for someone who has left (renewal 5 January 2029).
    assert services.dbs_renewal_reminders(today=date(2028, 12, 29)) == 0


def test_another_persons_step_down_is_a_404(client, volunteer):
    client.force_login(UserFactory())
    url = reverse("volunteers:step_down", args=[volunteer.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": ""}).status_code == 404
    volunteer.refresh_from_db()
    assert volunteer.stage == Stage.ACTIVE
