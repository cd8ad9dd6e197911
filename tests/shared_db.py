"""How xdist workers share one migrated test database.

Running every migration costs about half a minute of CPU, and with four workers on two cores
each building its own database that was two minutes of a run. Instead the first worker to take
a file lock builds the database under its one-process name (`test_<NAME>`; on SQLite a file in
the run's shared temporary folder) and writes the rows migrations created, which transactional
tests restore, beside it. Every worker, that one included, then clones it under the same lock
(PostgreSQL: CREATE DATABASE ... TEMPLATE, which needs no one connected to the template; SQLite:
a copy into the worker's own in-memory database) and runs its tests on the clone.
"""

import fcntl
import sqlite3
from contextlib import contextmanager
from pathlib import Path

from django.db import connection
from django.test.utils import setup_databases

SERIALIZED = "test-db.json"


def build_once_and_clone(shared: Path, worker: str, *, keepdb: bool, verbosity: int) -> list:
    """Give this worker its clone of the shared test database; returns what
    `teardown_databases` takes."""
    original_name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(shared / "test-db.sqlite3")
    serialized = shared / SERIALIZED
    with _locked(shared / "test-db.lock"):
        if serialized.exists():
            connection.settings_dict["NAME"] = connection.creation._get_test_db_name()
        else:
            setup_databases(
                verbosity=verbosity, interactive=False, keepdb=keepdb, aliases={"default"}
            )
            serialized.write_text(connection.creation.serialize_db_to_string())
        _clone(worker, verbosity)
    connection._test_serialized_contents = serialized.read_text()
    return [(connection, original_name, True)]


def drop_template(verbosity: int) -> None:
    """After every worker has finished (xdist's controller): the template is not kept."""
    if connection.vendor != "postgresql":
        return  # SQLite's is a file in the run's temporary folder
    name = connection.creation._get_test_db_name()
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")
    if verbosity >= 1:
        print(f"Dropped the test database template {name}")


def _clone(worker: str, verbosity: int) -> None:
    if connection.vendor == "sqlite":
        _load_into_memory(worker)
        return
    connection.creation.clone_test_db(suffix=worker, verbosity=verbosity, keepdb=False)
    connection.close()
    connection.settings_dict.update(connection.creation.get_test_db_clone_settings(worker))


def _load_into_memory(worker: str) -> None:
    """SQLite's clone is a file copy, but the tests run in memory (as on one process): the
    template is backed up into the worker's own in-memory database, WAL and all."""
    source_name = connection.settings_dict["NAME"]
    connection.close()
    memory = f"file:memorydb_default_{worker}?mode=memory&cache=shared"
    target = sqlite3.connect(memory, uri=True)
    source = sqlite3.connect(source_name)
    source.backup(target)
    source.close()
    connection.settings_dict["NAME"] = memory
    connection.connect()  # holds the in-memory database open before the copy's link closes
    target.close()


@contextmanager
def _locked(path: Path):
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
