"""The coordinator's screens: moving, bad input answered next to the form (never a 500),
DBS recorded, notes kept, every view audited, and the list's queries constant in its rows."""

import pytest
from django.test import Client
from django.urls import reverse

from portal.models import AuditEvent
from tests.staff import sign_in_to_staff_area
from tests.volunteers import helpers
from volunteers.models import Application, Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(coordinator):
    client = Client()
    sign_in_to_staff_area(client, coordinator)
    return client


def test_a_coordinator_moves_an_application_and_bad_moves_are_explained(
    roles, coordinator, staff_client
):
    application = helpers.submitted(role=roles["drop_in"])
    url = reverse("volunteers_application", args=[application.pk])
    page = staff_client.get(url)
    assert page.status_code == 200 and "Move on to: Screening call" in page.content.decode()
    assert AuditEvent.objects.filter(
        actor=coordinator, action="view", target_id=str(application.pk)
    ).exists()
    move = reverse("volunteers_application_move", args=[application.pk])
    assert staff_client.post(move, {"to_stage": "screening"}).status_code == 302
    refused = staff_client.post(move, {"to_stage": "active"})
    assert refused.status_code == 400
    assert "No one becomes active" in refused.content.decode()
    held = staff_client.post(move, {"to_stage": "on_hold", "reason": ""})
    assert held.status_code == 400 and "Give the reason" in held.content.decode()
    assert staff_client.post(move, {"to_stage": "nonsense"}).status_code == 400
    long = staff_client.post(move, {"to_stage": "on_hold", "reason": "x" * 2001})
    assert long.status_code == 400
    application.refresh_from_db()
    assert application.stage == Stage.SCREENING


def test_dbs_bad_input_is_refused_and_a_good_record_completes_the_stage(
    roles, coordinator, staff_client
):
    application = helpers.submitted(role=roles["office"], locality="north")
    Application.objects.filter(pk=application.pk).update(stage=Stage.DBS)
    url = reverse("volunteers_application_dbs", args=[application.pk])
    good = {
        "level": "basic",
        "certificate_number": "001234567890",
        "issued_on": "2025-06-01",
        "outcome": "clear",
    }
    bad = staff_client.post(url, {**good, "certificate_number": "12AB"})
    assert bad.status_code == 400 and "12-digit" in bad.content.decode()
    future = staff_client.post(url, {**good, "issued_on": "2999-01-01"})
    assert future.status_code == 400 and "today or in the past" in future.content.decode()
    assert staff_client.post(url, good).status_code == 302
    application.refresh_from_db()
    assert application.stage == Stage.AGREEMENT  # the office role needs no course
    assert application.dbs_check.certificate_number == "001234567890"


def test_notes_and_the_override_from_the_screen(roles, coordinator, staff_client):
    application = helpers.submitted(role=roles["drop_in"])
    notes = reverse("volunteers_application_note", args=[application.pk])
    assert staff_client.post(notes, {"text": ""}).status_code == 400
    staff_client.post(notes, {"text": "Phoned, keen to start"})
    override = reverse("volunteers_application_override", args=[application.pk])
    refused = staff_client.post(override, {"reason": ""})
    assert refused.status_code == 400 and "Give the reason" in refused.content.decode()
    staff_client.post(override, {"reason": "Transferred from the partner service"})
    application.refresh_from_db()
    assert application.stage == Stage.ACTIVE
    page = staff_client.get(reverse("volunteers_application", args=[application.pk]))
    html = page.content.decode()
    assert "Phoned, keen to start" in html and "Transferred from the partner service" in html


def test_the_list_filters_and_its_queries_do_not_grow_with_its_rows(
    roles, coordinator, staff_client, django_assert_max_num_queries
):
    url = reverse("volunteers_applications")
    helpers.submitted(role=roles["drop_in"])
    with django_assert_max_num_queries(40) as few:
        staff_client.get(url)
    for _ in range(12):
        helpers.submitted(role=roles["drop_in"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = staff_client.get(url)
    assert page.content.decode().count("VOL-") == 13
    assert staff_client.get(url, {"stage": "interview"}).content.decode().count("VOL-") == 0
    assert staff_client.get(url, {"overdue": "1"}).content.decode().count("VOL-") == 0
    assert staff_client.get(url, {"locality": "south"}).content.decode().count("VOL-") == 0
    assert staff_client.get(url, {"locality": "north"}).content.decode().count("VOL-") == 13
