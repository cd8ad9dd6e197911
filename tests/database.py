"""How transactional tests empty and refill the test database, quickly.

A transactional test (live server, real connections racing) ends by emptying every table and
the next one starts by restoring what migrations created (roles, permissions, the Wagtail
root). Django does this with one TRUNCATE of every table and one INSERT (after a failed
UPDATE) per restored row: about six seconds a test here. On PostgreSQL a DELETE of each table
(the foreign keys Django creates are deferred to the commit) costs a fraction of a TRUNCATE of
two hundred tables, and the migrated rows go back with one INSERT per table.
"""

from io import StringIO

from django.core import serializers
from django.core.management import call_command
from django.db import connection, transaction
from django.db.backends.base.creation import BaseDatabaseCreation
from django.db.backends.postgresql.operations import DatabaseOperations

AUDIT = "portal_auditevent"
# The audit table refuses UPDATE, DELETE (portal migration 0002) and TRUNCATE (0003).
AUDIT_TRIGGERS = ("portal_auditevent_append_only", "portal_auditevent_no_truncate")

_originals: dict = {}


def install() -> None:
    _originals["sql_flush"] = DatabaseOperations.sql_flush
    _originals["deserialize"] = BaseDatabaseCreation.deserialize_db_from_string
    DatabaseOperations.sql_flush = _sql_flush
    BaseDatabaseCreation.deserialize_db_from_string = _deserialize_db_from_string


def uninstall() -> None:
    DatabaseOperations.sql_flush = _originals.pop("sql_flush")
    BaseDatabaseCreation.deserialize_db_from_string = _originals.pop("deserialize")


def reset_to_migrated_rows() -> None:
    """Empty every table and put back what migrations created, as a transactional test does
    around itself."""
    call_command(
        "flush", verbosity=0, interactive=False, reset_sequences=False, inhibit_post_migrate=True
    )
    connection.creation.deserialize_db_from_string(connection._test_serialized_contents)


def _sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    """Only here, inside the flush's own transaction, are the audit table's triggers off."""
    if reset_sequences:
        statements = _originals["sql_flush"](
            self, style, tables, reset_sequences=True, allow_cascade=allow_cascade
        )
    else:
        # Table names come from Django's introspection of its own tables.
        statements = [f"DELETE FROM {self.quote_name(table)};" for table in tables]  # noqa: S608
    if statements and AUDIT in tables:
        statements = [
            *(f"ALTER TABLE {AUDIT} DISABLE TRIGGER {trigger};" for trigger in AUDIT_TRIGGERS),
            *statements,
            *(f"ALTER TABLE {AUDIT} ENABLE TRIGGER {trigger};" for trigger in AUDIT_TRIGGERS),
        ]
    return statements


def _deserialize_db_from_string(self, data: str) -> None:
    """Django's restore, in the same order, with each run of rows of one table inserted
    together (multi-table children such as Wagtail pages are saved one by one, as
    bulk_create refuses them)."""
    alias = self.connection.alias
    tables: set[str] = set()
    run: list = []
    with transaction.atomic(using=alias), self.connection.constraint_checks_disabled():
        for restored in serializers.deserialize("json", StringIO(data), using=alias):
            model = type(restored.object)
            tables.add(model._meta.db_table)
            if run and type(run[0].object) is not model:
                _insert(run, alias)
                run = []
            if model._meta.parents:
                restored.save()
            else:
                run.append(restored)
        _insert(run, alias)
        self.connection.check_constraints(table_names=sorted(tables))


def _insert(rows: list, alias: str) -> None:
    if not rows:
        return
    model = type(rows[0].object)
    # Rows already there are kept, as Django's restore (an UPDATE first) keeps them: the first
    # transactional test on a worker starts from the migrated rows, not from an empty table.
    objects = [row.object for row in rows]
    model._base_manager.using(alias).bulk_create(objects, ignore_conflicts=True)
    _restore_many_to_many(model, rows, alias)


def _restore_many_to_many(model, rows, alias: str) -> None:
    links: dict = {}
    for row in rows:
        for name, targets in (row.m2m_data or {}).items():
            field = model._meta.get_field(name)
            through = field.remote_field.through
            source = through._meta.get_field(field.m2m_field_name()).attname
            target = through._meta.get_field(field.m2m_reverse_field_name()).attname
            links.setdefault(through, []).extend(
                through(**{source: row.object.pk, target: pk}) for pk in targets
            )
    for through, objects in links.items():
        through._base_manager.using(alias).bulk_create(objects, ignore_conflicts=True)
