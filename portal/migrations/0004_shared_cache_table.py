"""The table of the database cache (settings: DATABASE_CACHE_TABLE), so that a fresh clone,
CI and every deployment have the cache that all web processes share without a separate
`createcachetable` step. Django's own command makes it, with its own schema."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "portal_cache"


def create(apps, schema_editor):
    # Does nothing when the table is already there (made by `createcachetable`, say).
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop(apps, schema_editor):
    quoted = schema_editor.quote_name(TABLE)
    schema_editor.execute(f"DROP TABLE IF EXISTS {quoted}")


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_audit_refuses_truncate")]

    operations = [migrations.RunPython(create, drop)]
