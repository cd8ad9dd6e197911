"""Where a person's data is still stored after retention or erasure: any text or JSON
column of any table, read raw, and every encrypted field of every model, decrypted."""

from __future__ import annotations

from django.db import connection

from portal.crypto import EncryptedTextField, encrypted_fields
from portal.reports.registry import all_reports

TEXTUAL = {"CharField", "TextField", "JSONField", "EmailField", "SlugField", "URLField"}


def text_columns() -> dict[str, list[str]]:
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [
                column.name
                for column in connection.introspection.get_table_description(cursor, table)
                if connection.introspection.data_types_reverse.get(column.type_code) in TEXTUAL
            ]
            if columns:
                found[table] = columns
    return found


def leftovers(*values: str) -> list[str]:
    """ "table.column" (raw) or "Model.field" (decrypted) for each place a value is found."""
    needles = [value.lower() for value in values if value]
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, columns in text_columns().items():
            names = ", ".join(quote(c) for c in columns)
            # Names from the database's own catalogue, quoted: no input reaches this.
            cursor.execute(f"SELECT {names} FROM {quote(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for column, cell in zip(columns, row, strict=True):
                    text = str(cell or "").lower()
                    found += [f"{table}.{column}" for needle in needles if needle in text]
    for model, names in encrypted_fields():
        encrypted = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, EncryptedTextField) and f.attname in names
        ]
        for values_row in model._base_manager.values_list(*encrypted):
            for name, cell in zip(encrypted, values_row, strict=True):
                text = str(cell or "").lower()
                found += [f"{model.__name__}.{name}" for needle in needles if needle in text]
    return sorted(set(found))


def referral_figures() -> dict[str, list[dict]]:
    """Every referrals report's rows for the whole service."""
    return {
        report.slug: list(report.rows(None, None, user=None))
        for report in all_reports()
        if report.permission.startswith("referrals.")
    }
