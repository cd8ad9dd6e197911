from django.db import migrations

# TRUNCATE fires no row triggers, so the append-only rule of 0002 needs a statement trigger
# too; it raises the same "append-only" error from the same function.
CREATE = """
CREATE TRIGGER portal_auditevent_no_truncate
    BEFORE TRUNCATE ON portal_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION portal_auditevent_append_only();
"""
DROP = "DROP TRIGGER IF EXISTS portal_auditevent_no_truncate ON portal_auditevent;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_audit_append_only")]
    operations = [migrations.RunPython(forwards, backwards)]
