from django.db import migrations

# The trail stays append-only, with one exception for erasure (portal.audit.erase_detail):
# while a transaction has set portal.audit_erasure to 'on', an UPDATE may replace a row's
# detail with the erased marker and change nothing else. Who acted, when, how and on which
# record can still never be changed, nor any row deleted or truncated.
ALLOW_ERASURE = """
CREATE OR REPLACE FUNCTION portal_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND current_setting('portal.audit_erasure', true) = 'on'
       AND NEW.id = OLD.id
       AND NEW.at = OLD.at
       AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
       AND NEW.actor_email = OLD.actor_email
       AND NEW.action = OLD.action
       AND NEW.target_type_id = OLD.target_type_id
       AND NEW.target_id = OLD.target_id
       AND NEW.target_label = OLD.target_label
       AND NEW.detail = '{"erased": true}'::jsonb THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
"""
APPEND_ONLY = """
CREATE OR REPLACE FUNCTION portal_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW_ERASURE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY)


class Migration(migrations.Migration):
    dependencies = [("portal", "0009_calendar_feed_tokens_from_courses")]
    operations = [migrations.RunPython(forwards, backwards)]
