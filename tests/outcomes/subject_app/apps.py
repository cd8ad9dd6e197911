from django.apps import AppConfig


class SubjectAppConfig(AppConfig):
    """An outcome subject of the tests' own (installed only under pytest): members of
    groups in a locality, like a programme's enrolments in its cohorts."""

    name = "tests.outcomes.subject_app"
    label = "outcomes_subject"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal.outcomes.registry import register_subject
        from tests.outcomes.subject_app.subjects import MemberSubject

        register_subject(MemberSubject())
