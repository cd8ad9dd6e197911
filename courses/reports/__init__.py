"""Training reports, registered with portal.reports: what each shows, who may see it (a
permission per report, declared on courses.Session and granted by courses 0012) and which of
its values count people (for small-number suppression). Their rows are in `rows.py`."""

from courses.reports.rows import (
    attendance_by_course,
    attendance_by_session,
    attendees_with_marks,
    feedback_by_course,
    income_by_course_and_month,
    trained,
    trained_by_audience,
    trained_by_month,
    trained_by_sector,
)
from portal.reports.registry import ServiceReport, register
from portal.reports.suppression import Figures

__all__ = [
    "attendance_by_course",
    "attendance_by_session",
    "attendees_with_marks",
    "feedback_by_course",
    "income_by_course_and_month",
    "trained",
    "trained_by_audience",
    "trained_by_month",
    "trained_by_sector",
]

PEOPLE_COLUMNS = [
    ("places", "Places attended"),
    ("people", "Different people (by email)"),
]
# The last row totals the places; "people" counts different people, which do not add up.
PEOPLE_FIGURES = Figures(counts=("places", "people"), column_totals=("places",))
RATE_COLUMNS = [
    ("present", "Present"),
    ("late", "Late"),
    ("absent", "Absent"),
    ("apologies", "Apologies"),
    ("attendance_rate", "Attendance rate % (present or late)"),
    ("no_show_rate", "No-show rate % (absent without apologies)"),
]
STATUSES = ("present", "late", "absent", "apologies")
RATE_FIGURES = {
    "row_totals": {"marked": STATUSES},
    "derived": {
        "attendance_rate": ("present", "late", "marked"),
        "no_show_rate": ("absent", "marked"),
    },
}

register(
    ServiceReport(
        slug="training-by-sector",
        title="People trained by sector",
        description="Attendees marked present or late, by their organisation's sector "
        "(council staff count as Council; individual when others booked for themselves).",
        columns=[("sector", "Sector"), *PEOPLE_COLUMNS],
        rows=trained_by_sector,
        permission="courses.report_training_by_sector",
        figures=PEOPLE_FIGURES,
        order=10,
    )
)
register(
    ServiceReport(
        slug="training-by-audience",
        title="People trained by audience",
        description="Attendees marked present or late, by the audience they booked as.",
        columns=[("audience", "Audience"), *PEOPLE_COLUMNS],
        rows=trained_by_audience,
        permission="courses.report_training_by_audience",
        figures=PEOPLE_FIGURES,
        order=11,
    )
)
register(
    ServiceReport(
        slug="training-by-month",
        title="People trained by month",
        description="Attendees marked present or late, by the month of their session.",
        columns=[("month", "Month"), *PEOPLE_COLUMNS],
        rows=trained_by_month,
        permission="courses.report_training_by_month",
        figures=PEOPLE_FIGURES,
        order=12,
    )
)
register(
    ServiceReport(
        slug="attendance-by-session",
        title="Attendance and no-shows by session",
        description="Sessions held so far. Rates are shares of the people marked on the register.",
        columns=[
            ("course_title", "Course"),
            ("starts_at", "Starts"),
            ("booked", "Booked now"),
            ("marked", "Marked"),
            *RATE_COLUMNS,
        ],
        rows=attendance_by_session,
        permission="courses.report_attendance_by_session",
        figures=Figures(counts=("booked", "marked", *STATUSES), **RATE_FIGURES),
        order=20,
    )
)
register(
    ServiceReport(
        slug="attendance-by-course",
        title="Attendance and no-shows by course",
        description="All registers taken for each course. Rates are shares of the people marked.",
        columns=[
            ("course", "Course"),
            ("sessions", "Sessions"),
            ("marked", "Marked"),
            *RATE_COLUMNS,
        ],
        rows=attendance_by_course,
        permission="courses.report_attendance_by_course",
        # Sessions are not people: shown as they are.
        figures=Figures(counts=("marked", *STATUSES), **RATE_FIGURES),
        order=21,
    )
)
register(
    ServiceReport(
        slug="training-income",
        title="Training income",
        description="What was taken for priced places, by course and month of the session: "
        "card payments less refunds, plus what invoiced organisations owe (less what "
        "cancellations took off). A late cancellation's kept share counts; places are those "
        "confirmed now.",
        columns=[
            ("month", "Month"),
            ("course", "Course"),
            ("places", "Places"),
            ("income", "Income (£)"),
        ],
        rows=income_by_course_and_month,
        permission="courses.report_training_income",
        # Income for a number of places gives the number away (the price is public).
        figures=Figures(counts=("places",), derived={"income": ("places",)}),
        order=30,
    )
)
register(
    ServiceReport(
        slug="training-feedback",
        title="Feedback scores by course",
        description="Ratings from 1 (poor) to 5 (excellent) given after sessions.",
        columns=[
            ("course", "Course"),
            ("responses", "Responses"),
            ("average", "Average rating"),
            ("good_share", "Rated 4 or 5 (%)"),
        ],
        rows=feedback_by_course,
        permission="courses.report_training_feedback",
        # Rated 4 or 5 and the rest add up to the responses; only the share is shown.
        figures=Figures(
            counts=("responses", "good", "not_good"),
            row_totals={"responses": ("good", "not_good")},
            derived={"average": ("responses",), "good_share": ("good", "responses")},
        ),
        order=40,
    )
)
