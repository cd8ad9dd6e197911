"""The site's starting topics, audiences and localities, on every site, not only the demo.

Editors may rename, reorder or add to them afterwards; a term already there (by web-address
slug or by name) is left as it is, so this is safe on a site that has them already. The demo
seeding finds these by slug and reuses them."""

from django.db import migrations

TOPICS = [
    ("Physical abuse", "physical"),
    ("Emotional and psychological abuse", "emotional"),
    ("Coercive control", "coercive-control"),
    ("Economic abuse", "economic"),
    ("Sexual abuse", "sexual"),
    ("Tech abuse and stalking", "tech-abuse-and-stalking"),
    ("Honour-based abuse", "honour-based"),
    ("Children and young people", "children-and-young-people"),
]
AUDIENCES = [
    ("Victims and survivors", "survivors"),
    ("Friends and family", "friends-and-family"),
    ("Professionals", "professionals"),
    ("Employers", "employers"),
]
LOCALITIES = [("North", "north"), ("Central", "central"), ("South", "south")]


def forwards(apps, schema_editor):
    for model_name, rows in [
        ("Topic", TOPICS),
        ("Audience", AUDIENCES),
        ("Locality", LOCALITIES),
    ]:
        model = apps.get_model("cms", model_name)
        for order, (name, slug) in enumerate(rows):
            if model.objects.filter(slug=slug).exists() or model.objects.filter(name=name).exists():
                continue
            model.objects.create(name=name, slug=slug, sort_order=order)


class Migration(migrations.Migration):
    dependencies = [("cms", "0005_drop_in_publish_permissions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
