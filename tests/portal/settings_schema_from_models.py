"""The portal's settings with the schema built from the models (`migrate --run-syncdb`).

For tests that start real processes on a throwaway database: running every migration takes
about 15 seconds; building the tables from the models takes a third of that. Nothing else
differs from portal.settings.
"""

from portal.settings import *  # noqa: F403


class _NoMigrations(dict):
    def __contains__(self, app_label):
        return True

    def __getitem__(self, app_label):
        return None


MIGRATION_MODULES = _NoMigrations()
