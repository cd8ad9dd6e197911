"""A permission per volunteering report, granted to Volunteer coordinators (counting their
localities) and Commissioners (the whole service); and the "stepped down" stage, which
closes a record like withdrawn (one open application per person)."""

from django.conf import settings
from django.db import migrations, models

from portal.accounts.roles import grant

EVERY_REPORT = [
    "volunteers.report_applications_by_stage",
    "volunteers.report_days_to_active",
    "volunteers.report_active_volunteers",
    "volunteers.report_dbs_renewals",
    "volunteers.report_volunteer_equality",
]
GRANTS = {"Volunteer coordinator": EVERY_REPORT, "Commissioner": EVERY_REPORT}


def grant_roles(apps, schema_editor):
    grant(apps, GRANTS)


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0009_calendar_feed_tokens_from_courses'),
        ('volunteers', '0004_anonymise_closed_applications'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("accounts", "0002_staff_roles"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='application',
            options={'ordering': ['-submitted_at', '-pk'], 'permissions': [('view_lived_experience', "Can see applicants' lived experience"), ('report_applications_by_stage', 'Can see the report: applications by stage'), ('report_days_to_active', 'Can see the report: days from application to active'), ('report_active_volunteers', 'Can see the report: active volunteers by locality and role'), ('report_dbs_renewals', 'Can see the report: DBS renewals due'), ('report_volunteer_equality', 'Can see the report: equality monitoring answers')]},
        ),
        migrations.RemoveConstraint(
            model_name='application',
            name='one_open_volunteer_application',
        ),
        migrations.RemoveConstraint(
            model_name='application',
            name='volunteer_application_stage_known',
        ),
        migrations.AlterField(
            model_name='application',
            name='held_from',
            field=models.CharField(blank=True, choices=[('draft', 'Not sent yet'), ('applied', 'Applied'), ('screening', 'Screening call'), ('interview', 'Interview'), ('references', 'References'), ('dbs', 'DBS check'), ('training', 'Training'), ('agreement', 'Agreement signed'), ('active', 'Active'), ('on_hold', 'On hold'), ('not_progressed', 'Not progressed'), ('withdrawn', 'Withdrawn'), ('stepped_down', 'Stepped down')], max_length=16),
        ),
        migrations.AlterField(
            model_name='application',
            name='stage',
            field=models.CharField(choices=[('draft', 'Not sent yet'), ('applied', 'Applied'), ('screening', 'Screening call'), ('interview', 'Interview'), ('references', 'References'), ('dbs', 'DBS check'), ('training', 'Training'), ('agreement', 'Agreement signed'), ('active', 'Active'), ('on_hold', 'On hold'), ('not_progressed', 'Not progressed'), ('withdrawn', 'Withdrawn'), ('stepped_down', 'Stepped down')], default='draft', max_length=16),
        ),
        migrations.AlterField(
            model_name='stagechange',
            name='from_stage',
            field=models.CharField(choices=[('draft', 'Not sent yet'), ('applied', 'Applied'), ('screening', 'Screening call'), ('interview', 'Interview'), ('references', 'References'), ('dbs', 'DBS check'), ('training', 'Training'), ('agreement', 'Agreement signed'), ('active', 'Active'), ('on_hold', 'On hold'), ('not_progressed', 'Not progressed'), ('withdrawn', 'Withdrawn'), ('stepped_down', 'Stepped down')], max_length=16),
        ),
        migrations.AlterField(
            model_name='stagechange',
            name='to_stage',
            field=models.CharField(choices=[('draft', 'Not sent yet'), ('applied', 'Applied'), ('screening', 'Screening call'), ('interview', 'Interview'), ('references', 'References'), ('dbs', 'DBS check'), ('training', 'Training'), ('agreement', 'Agreement signed'), ('active', 'Active'), ('on_hold', 'On hold'), ('not_progressed', 'Not progressed'), ('withdrawn', 'Withdrawn'), ('stepped_down', 'Stepped down')], max_length=16),
        ),
        migrations.AddConstraint(
            model_name='application',
            constraint=models.UniqueConstraint(condition=models.Q(('stage__in', ['not_progressed', 'withdrawn', 'stepped_down']), _negated=True), fields=('user',), name='one_open_volunteer_application'),
        ),
        migrations.AddConstraint(
            model_name='application',
            constraint=models.CheckConstraint(condition=models.Q(('stage__in', ['draft', 'applied', 'screening', 'interview', 'references', 'dbs', 'training', 'agreement', 'active', 'on_hold', 'not_progressed', 'withdrawn', 'stepped_down'])), name='volunteer_application_stage_known'),
        ),
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
    ]
