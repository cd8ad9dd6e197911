"""Course sessions use the one locality list (portal.Locality), shared with drop-ins.

Each session's locality ("north", "central", "south", or blank) becomes the portal locality
with that slug; an online session with none gets "Online", so whoever coordinates online
sessions can be assigned to them. Backwards, the slug is written back (Online as blank).
"""

import django.db.models.deletion
from django.db import migrations, models

STARTING = [
    ("North", "north", False),
    ("Central", "central", False),
    ("South", "south", False),
    ("Online", "online", True),
]


def check_constraints_now(schema_editor) -> None:
    """PostgreSQL refuses to alter a table with foreign-key checks still pending from the
    rows just updated: run them now, before the old column goes."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def forwards(apps, schema_editor):
    Locality = apps.get_model("portal", "Locality")
    Session = apps.get_model("courses", "Session")
    for order, (name, slug, online) in enumerate(STARTING):
        if not (
            Locality.objects.filter(slug=slug).exists()
            or Locality.objects.filter(name=name).exists()
        ):
            Locality.objects.create(name=name, slug=slug, is_online=online, sort_order=order)
    by_slug = {locality.slug: locality for locality in Locality.objects.all()}
    online = Locality.objects.filter(is_online=True).order_by("sort_order", "pk").first()
    for slug in (
        Session.objects.exclude(old_locality="").values_list("old_locality", flat=True).distinct()
    ):
        if slug not in by_slug:
            by_slug[slug] = Locality.objects.create(name=slug.title(), slug=slug, sort_order=10)
        Session.objects.filter(old_locality=slug).update(locality=by_slug[slug])
    Session.objects.filter(old_locality="", online=True).update(locality=online)
    check_constraints_now(schema_editor)


def backwards(apps, schema_editor):
    Session = apps.get_model("courses", "Session")
    for session in Session.objects.filter(locality__is_online=False).select_related("locality"):
        Session.objects.filter(pk=session.pk).update(old_locality=session.locality.slug[:10])
    check_constraints_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0010_booking_booked_by_staff"),
        ("portal", "0008_localities_and_staff_assignments"),
        # After drop-ins' localities are copied with their ids, so those ids stay theirs.
        ("cms", "0007_drop_ins_use_portal_localities"),
    ]

    operations = [
        migrations.RenameField(model_name="session", old_name="locality", new_name="old_locality"),
        migrations.AddField(
            model_name="session",
            name="locality",
            field=models.ForeignKey(
                blank=True,
                help_text="Where it is held (Online for an online session); who coordinates it.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="course_sessions",
                to="portal.locality",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="session", name="old_locality"),
    ]
