"""Drop-ins use the one locality list (portal.Locality), shared with course sessions.

Every cms locality is copied with its id, name, slug and order (so `?locality=north` keeps
working, and drop-in revisions, which name a locality by id, still point at the right one),
each drop-in is pointed at its copy, and the cms list is removed. The starting list gains
"Online" (for what is held online; drop-ins are in person and cannot choose it). Editors keep
managing the localities, now portal's.
"""

import django.db.models.deletion
from django.core.management.color import no_style
from django.db import migrations, models

from portal.accounts.roles import grant, revoke

STARTING = [
    ("North", "north", False),
    ("Central", "central", False),
    ("South", "south", False),
    ("Online", "online", True),
]
ACTIONS = ("add", "change", "delete", "view")


def ensure_starting_localities(Locality) -> None:
    """The starting localities, by slug or name, created only when neither is there."""
    for order, (name, slug, online) in enumerate(STARTING):
        if (
            Locality.objects.filter(slug=slug).exists()
            or Locality.objects.filter(name=name).exists()
        ):
            continue
        Locality.objects.create(name=name, slug=slug, is_online=online, sort_order=order)


def check_constraints_now(schema_editor) -> None:
    """PostgreSQL refuses to alter a table with foreign-key checks still pending from the
    rows just updated: run them now, before the old column goes."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def forwards(apps, schema_editor):
    Old = apps.get_model("cms", "Locality")
    New = apps.get_model("portal", "Locality")
    DropIn = apps.get_model("cms", "DropIn")
    for old in Old.objects.all():
        new = New.objects.filter(slug=old.slug).first()
        if new is None:
            new = New.objects.create(
                pk=old.pk, name=old.name, slug=old.slug, sort_order=old.sort_order
            )
        DropIn.objects.filter(old_locality_id=old.pk).update(new_locality=new)
    # Rows were written with their ids: move PostgreSQL's sequence past them.
    with schema_editor.connection.cursor() as cursor:
        for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [New]):
            cursor.execute(sql)
    ensure_starting_localities(New)
    grant(apps, {"Editor": [f"portal.{action}_locality" for action in ACTIONS]})
    revoke(apps, {"Editor": [f"cms.{action}_locality" for action in ACTIONS]})
    check_constraints_now(schema_editor)


def backwards(apps, schema_editor):
    Old = apps.get_model("cms", "Locality")
    New = apps.get_model("portal", "Locality")
    DropIn = apps.get_model("cms", "DropIn")
    for new in New.objects.filter(is_online=False):
        Old.objects.get_or_create(
            pk=new.pk, defaults={"name": new.name, "slug": new.slug, "sort_order": new.sort_order}
        )
    DropIn.objects.update(old_locality_id=models.F("new_locality_id"))
    check_constraints_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0006_topics_audiences_localities"),
        ("portal", "0008_localities_and_staff_assignments"),
    ]

    operations = [
        migrations.AddField(
            model_name="dropin",
            name="new_locality",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="portal.locality",
            ),
        ),
        migrations.RenameField(model_name="dropin", old_name="locality", new_name="old_locality"),
        migrations.AlterField(
            model_name="dropin",
            name="old_locality",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cms.locality",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="dropin", name="old_locality"),
        migrations.RenameField(model_name="dropin", old_name="new_locality", new_name="locality"),
        migrations.AlterField(
            model_name="dropin",
            name="locality",
            field=models.ForeignKey(
                limit_choices_to={"is_online": False},
                on_delete=django.db.models.deletion.PROTECT,
                related_name="drop_ins",
                to="portal.locality",
            ),
        ),
        migrations.DeleteModel(name="Locality"),
    ]
