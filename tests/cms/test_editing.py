"""How the public site's content changes: pages through the Moderators' sign-off, drop-ins as
drafts with revisions, helpline settings with a record of who changed them."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from icalendar import Calendar
from wagtail.models import ModelLogEntry, PageLogEntry, WorkflowState

from cms.feeds import drop_ins_calendar
from cms.models import DropIn, GuidanceIndexPage, GuidancePage, HelplineSettings
from portal.localities import Locality
from tests.cms.factories import DropInFactory
from tests.factories import UserFactory
from tests.staff import sign_in_to_staff_area

pytestmark = pytest.mark.django_db


def test_an_editor_submits_a_page_and_it_goes_live_only_when_a_moderator_approves(
    client, demo_site
):
    editor = UserFactory(roles=["Editor"])
    moderator = UserFactory(roles=["Moderators"])
    index = GuidanceIndexPage.objects.get()
    assert index.permissions_for_user(editor).can_add_subpage()
    article = GuidancePage(
        title="Refuges and safe housing", slug="refuges", summary="Where to stay", live=False
    )
    index.add_child(instance=article)
    article.save_revision(user=editor)

    workflow = article.get_workflow()
    assert workflow.name == "Moderators approval"
    state = workflow.start(article, editor)
    article.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not article.live
    assert client.get("/guidance/refuges/").status_code == 404

    task_state = state.current_task_state
    task = task_state.task.specific
    assert task.get_actions(article, editor) == []  # an Editor cannot approve their own
    assert "approve" in [name for name, _, _ in task.get_actions(article, moderator)]
    task.on_action(task_state, moderator, "approve")

    article.refresh_from_db()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert article.live and article.live_revision.user == editor
    assert client.get("/guidance/refuges/").status_code == 200
    assert PageLogEntry.objects.filter(
        page=article, action="wagtail.publish", user=moderator
    ).exists()


def _shown(client, name: str) -> dict:
    feed = Calendar.from_ical(drop_ins_calendar())
    return {
        "finder": name in client.get("/drop-ins/").content.decode(),
        "search": name in client.get("/search/?q=Lighthouse").content.decode(),
        "feed": any(name in str(event.get("summary")) for event in feed.walk("VEVENT")),
    }


def test_a_drop_in_reaches_the_public_only_when_published(client, demo_site):
    editor = UserFactory(roles=["Editor"])
    drop_in = DropInFactory(
        name="Lighthouse drop-in", locality=Locality.objects.get(slug="north"), live=False
    )
    drop_in.save_revision(user=editor)
    assert _shown(client, "Lighthouse drop-in") == {"finder": False, "search": False, "feed": False}

    drop_in.get_latest_revision().publish(user=editor)
    assert _shown(client, "Lighthouse drop-in") == {"finder": True, "search": True, "feed": True}


def test_a_draft_change_to_a_live_drop_in_waits_for_publishing(client, demo_site):
    editor = UserFactory(roles=["Editor"])
    drop_in = DropIn.objects.get(name="Monday coffee morning")
    assert drop_in.live and drop_in.live_revision is not None  # the demo publishes its own
    drop_in.venue_name = "Lighthouse Hall"
    revision = drop_in.save_revision(user=editor)
    assert "Lighthouse Hall" not in client.get("/drop-ins/").content.decode()
    revision.publish(user=editor)
    assert "Lighthouse Hall" in client.get("/drop-ins/").content.decode()
    assert list(drop_in.revisions.values_list("user", flat=True)).count(editor.pk) == 1
    assert ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(DropIn),
        object_id=str(drop_in.pk),
        action="wagtail.publish",
        user=editor,
    ).exists()


def test_editors_may_publish_and_lock_drop_ins(demo_site):
    editor = UserFactory(roles=["Editor"])
    for action in ("publish", "lock", "unlock", "change"):
        assert editor.has_perm(f"cms.{action}_dropin"), action


DROP_IN_FORM = {
    "name": "Lighthouse drop-in",
    "venue_name": "Lighthouse Hall",
    "address": "1 Quay Street\nRiverside",
    "postcode": "rv1 2ab",
    "frequency": "weekly",
    "weekday": "2",
    "week_of_month": "",
    "starts_on": "2026-01-07",
    "ends_on": "",
    "start_time": "10:00",
    "end_time": "12:00",
    "who_for": "Open to all",
    "description": "",
    "access_notes": "",
    "is_listed": "on",
    "cancellations-TOTAL_FORMS": "0",
    "cancellations-INITIAL_FORMS": "0",
    "cancellations-MIN_NUM_FORMS": "0",
    "cancellations-MAX_NUM_FORMS": "1000",
}


def test_saving_a_new_drop_in_in_the_admin_makes_a_draft(client, demo_site):
    editor = UserFactory(roles=["Editor"])
    sign_in_to_staff_area(client, editor)
    data = {**DROP_IN_FORM, "locality": str(Locality.objects.get(slug="north").pk)}
    response = client.post("/admin/snippets/cms/dropin/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    drop_in = DropIn.objects.get(name="Lighthouse drop-in")
    assert not drop_in.live and drop_in.latest_revision.user == editor
    client.logout()
    assert "Lighthouse drop-in" not in client.get("/drop-ins/").content.decode()


def test_helpline_settings_changes_are_logged_with_who_made_them(client, demo_site):
    editor = UserFactory(roles=["Editor"])
    sign_in_to_staff_area(client, editor)
    helpline = HelplineSettings.objects.get()
    data = {
        field: getattr(helpline, field)
        for field in [
            "emergency_number",
            "silent_solution_code",
            "helpline_name",
            "national_helpline_name",
            "national_helpline_number",
            "national_helpline_hours",
        ]
    }
    data["helpline_number"] = "0808 000 1234"
    for day in ["monday", "tuesday", "wednesday", "thursday", "friday"]:
        data[f"{day}_opens"], data[f"{day}_closes"] = "08:00", "18:00"
    data.update(
        {
            "closures-TOTAL_FORMS": "1",
            "closures-INITIAL_FORMS": "0",
            "closures-MIN_NUM_FORMS": "0",
            "closures-MAX_NUM_FORMS": "1000",
            "closures-0-date": "2026-12-24",
            "closures-0-reason": "Staff training",
            "closures-0-ORDER": "",
            "closures-0-id": "",
        }
    )
    response = client.post(f"/admin/settings/cms/helplinesettings/{helpline.site_id}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    helpline.refresh_from_db()
    assert helpline.helpline_number == "0808 000 1234"
    assert helpline.closures.filter(date=date(2026, 12, 24)).exists()
    assert ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(HelplineSettings),
        object_id=str(helpline.pk),
        action="wagtail.edit",
        user=editor,
    ).exists()
