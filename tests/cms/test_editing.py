"""How the public site's content changes: pages through the Moderators' sign-off."""

import pytest
from wagtail.models import PageLogEntry, WorkflowState

from cms.models import GuidanceIndexPage, GuidancePage
from tests.factories import UserFactory

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
