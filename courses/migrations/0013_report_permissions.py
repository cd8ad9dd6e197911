"""A permission per training report, in place of one for every report (reports 0003 takes
that one away). Commissioners and coordinators see them all (coordinators counting their
localities' sessions); trainers see attendance and feedback for the sessions they train."""

from django.db import migrations

from portal.accounts.roles import grant

EVERY_REPORT = [
    "courses.report_training_by_sector",
    "courses.report_training_by_audience",
    "courses.report_training_by_month",
    "courses.report_attendance_by_session",
    "courses.report_attendance_by_course",
    "courses.report_training_income",
    "courses.report_training_feedback",
]
GRANTS = {
    "Commissioner": EVERY_REPORT,
    "Coordinator": EVERY_REPORT,
    "Trainer": [
        "courses.report_attendance_by_session",
        "courses.report_attendance_by_course",
        "courses.report_training_feedback",
    ],
}


def grant_roles(apps, schema_editor):
    grant(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0012_calendar_feed_tokens_moved_to_portal"),
        ("accounts", "0002_staff_roles"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="session",
            options={
                "ordering": ["starts_at", "pk"],
                "permissions": [
                    ("report_training_by_sector", "Can see the report: people trained by sector"),
                    (
                        "report_training_by_audience",
                        "Can see the report: people trained by audience",
                    ),
                    ("report_training_by_month", "Can see the report: people trained by month"),
                    ("report_attendance_by_session", "Can see the report: each session's attendance and no-shows"),
                    ("report_attendance_by_course", "Can see the report: attendance and no-shows by course"),
                    ("report_training_income", "Can see the report: training income"),
                    ("report_training_feedback", "Can see the report: feedback scores by course"),
                ],
            },
        ),
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
    ]
