"""Every write of recovery programmes: cohorts and their weeks (`cohorts`), places
(`enrolments`), the missed-session follow-up (`check_ins`) and what participants are told
(`notices`, always discreet)."""

from programmes.services.check_ins import absence_marked, close_check_in, log_check_in_attempt
from programmes.services.cohorts import (
    cancel_cohort,
    cancel_session,
    create_cohort,
    edit_cohort,
    move_session,
)
from programmes.services.enrolments import (
    MAX_TEXT,
    accept_by_token,
    answer_by_phone,
    decline_by_token,
    offer_place,
    record_assessment,
    send_apologies,
    withdraw,
)
from programmes.services.errors import ProgrammeError

__all__ = [
    "MAX_TEXT",
    "ProgrammeError",
    "absence_marked",
    "accept_by_token",
    "answer_by_phone",
    "cancel_cohort",
    "cancel_session",
    "close_check_in",
    "create_cohort",
    "decline_by_token",
    "edit_cohort",
    "log_check_in_attempt",
    "move_session",
    "offer_place",
    "record_assessment",
    "send_apologies",
    "withdraw",
]
