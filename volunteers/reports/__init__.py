"""Volunteering reports, registered with portal.reports: a permission per report (declared
on volunteers.Application, granted to Volunteer coordinators and Commissioners by volunteers
0005) and which of its values count people (for small-number suppression). Their rows are
in `rows.py`. Shift, hours and no-show reports wait for shifts, which are not built yet."""

from portal.reports.registry import ServiceReport, register
from portal.reports.suppression import Figures
from volunteers.reports.rows import (
    active_volunteers,
    applications_by_stage,
    days_to_active,
    dbs_renewals,
    equality_answers,
)

__all__ = [
    "active_volunteers",
    "applications_by_stage",
    "days_to_active",
    "dbs_renewals",
    "equality_answers",
]

register(
    ServiceReport(
        slug="volunteer-applications-by-stage",
        title="Volunteer applications by stage",
        description="Where applications stand now, how many are past their stage's target "
        "number of days, and the average days in the stage so far.",
        columns=[
            ("stage", "Stage"),
            ("applications", "Applications"),
            ("overdue", "Past the target"),
            ("average_days", "Average days in stage"),
        ],
        rows=applications_by_stage,
        permission="volunteers.report_applications_by_stage",
        # Past the target and on time add up to the applications (only the first is shown).
        figures=Figures(
            counts=("applications", "overdue", "on_time"),
            row_totals={"applications": ("overdue", "on_time")},
            column_totals=("applications", "overdue", "on_time"),
            derived={"average_days": ("applications",)},
        ),
        date_help="Applications sent between these dates.",
        order=50,
    )
)
register(
    ServiceReport(
        slug="volunteer-days-to-active",
        title="Days from application to active volunteer",
        description="Volunteers by the month they became active, and the days from sending "
        "their application.",
        columns=[
            ("month", "Became active"),
            ("volunteers", "Volunteers"),
            ("average_days", "Average days"),
            ("median_days", "Median days"),
        ],
        rows=days_to_active,
        permission="volunteers.report_days_to_active",
        figures=Figures(
            counts=("volunteers",),
            column_totals=("volunteers",),
            derived={"average_days": ("volunteers",), "median_days": ("volunteers",)},
        ),
        date_help="Volunteers who became active between these dates.",
        order=51,
    )
)
register(
    ServiceReport(
        slug="volunteers-by-locality-and-role",
        title="Active volunteers by locality and role",
        description="Volunteers active now, in each locality and role they chose (someone "
        "with two roles counts in both); the total counts each volunteer once.",
        columns=[("locality", "Locality"), ("role", "Role"), ("volunteers", "Volunteers")],
        rows=active_volunteers,
        permission="volunteers.report_active_volunteers",
        # The total counts different people: it is not the sum of the rows.
        figures=Figures(counts=("volunteers",)),
        date_help="Volunteers who became active between these dates (empty: all).",
        order=52,
    )
)
register(
    ServiceReport(
        slug="volunteer-dbs-renewals",
        title="DBS renewals due",
        description="Active volunteers' DBS checks by the month their renewal falls due, and "
        "those already lapsed.",
        columns=[
            ("month", "Renewal due"),
            ("renewals", "Renewals"),
            ("on_update_service", "On the Update Service"),
            ("not_on_update_service", "Not on the Update Service"),
        ],
        rows=dbs_renewals,
        permission="volunteers.report_dbs_renewals",
        figures=Figures(
            counts=("renewals", "on_update_service", "not_on_update_service"),
            row_totals={"renewals": ("on_update_service", "not_on_update_service")},
            column_totals=("renewals", "on_update_service", "not_on_update_service"),
        ),
        date_help="Renewals due between these dates (empty: the next twelve months).",
        order=53,
    )
)
register(
    ServiceReport(
        slug="volunteer-equality-monitoring",
        title="Volunteer equality monitoring",
        description="The optional equality answers applicants gave, only ever counted: each "
        "question's answers and all the forms.",
        columns=[("question", "Question"), ("answer", "Answer"), ("people", "People")],
        rows=equality_answers,
        permission="volunteers.report_volunteer_equality",
        # Each question's answers add up to all the forms.
        figures=Figures(
            counts=("people",), column_totals=("people",), column_totals_per="question"
        ),
        date_help="Answers given in the months between these dates.",
        order=54,
    )
)
