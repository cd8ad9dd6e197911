"""Recovery programmes: the public pages (`pages`), cohorts and their weekly sessions
(`cohorts`), and the people in them (`enrolments`: places, assessments, apologies and the
missed-session check-ins)."""

from programmes.models.cohorts import Cohort, CohortStatus, ProgrammeSession
from programmes.models.enrolments import (
    Apology,
    Assessment,
    CheckIn,
    CheckInAttempt,
    Enrolment,
)
from programmes.models.pages import CompletionRule, ProgrammeKind, ProgrammePage, ProgrammeTopic

__all__ = [
    "Apology",
    "Assessment",
    "CheckIn",
    "CheckInAttempt",
    "Cohort",
    "CohortStatus",
    "CompletionRule",
    "Enrolment",
    "ProgrammeKind",
    "ProgrammePage",
    "ProgrammeSession",
    "ProgrammeTopic",
]
