from django.apps import AppConfig


class SeriesAppConfig(AppConfig):
    """A register source of the tests' own (installed only under pytest, tables made without
    migrations): groups of meetings, like a programme's weekly cohort or a volunteer's shifts."""

    name = "tests.attendance.series_app"
    label = "attendance_series"
    default_auto_field = "django.db.models.BigAutoField"
