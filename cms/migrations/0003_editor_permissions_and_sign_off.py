"""The Editor role writes the public site; Wagtail's Moderators group signs pages off.

Editors may add and change pages under the root (not publish), and manage the topics,
audiences, localities, drop-ins and helpline settings. Every page goes through the
"Moderators approval" workflow before it is live; an approver is put in the Moderators group.
"""

from django.db import migrations

from portal.accounts.roles import grant

EDITOR_MODEL_PERMISSIONS = [
    f"cms.{action}_{model}"
    for model in ("topic", "audience", "locality", "dropin")
    for action in ("add", "change", "delete", "view")
] + ["cms.change_helplinesettings"]
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
WORKFLOW_NAME = "Moderators approval"


def forwards(apps, schema_editor):
    grant(apps, {"Editor": EDITOR_MODEL_PERMISSIONS})
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    root = Page.objects.get(depth=1)
    editor = Group.objects.get(name="Editor")
    for codename in EDITOR_PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=editor, page=root, permission=permission)
    _ensure_sign_off_workflow(apps, root)


def _ensure_sign_off_workflow(apps, root):
    """Wagtail creates this workflow on a fresh database; make sure the root page has one."""
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    if WorkflowPage.objects.filter(page=root).exists():
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.create(
        name=WORKFLOW_NAME, content_type=content_type, active=True
    )
    task.groups.set([moderators])
    workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=root)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_public_site"),
        ("accounts", "0002_staff_roles"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
