"""Drop-ins are drafts until published. Editors publish them (a cancelled session cannot wait
for a sign-off), and may lock one while they work on it; Moderators may do the same.
Each change is a revision in the drop-in's history, with who made it."""

from django.db import migrations

ACTIONS = ["publish", "lock", "unlock"]
GROUPS = ["Editor", "Moderators"]


def forwards(apps, schema_editor):
    # Wagtail adds these permissions after migrating; make them now so they can be granted.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="cms", model="dropin")
    permissions = [
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_dropin",
            defaults={"name": f"Can {action} drop-in"},
        )[0]
        for action in ACTIONS
    ]
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [("cms", "0004_drop_in_revisions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
