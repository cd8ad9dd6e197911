"""Every write that matters in volunteering: the application, the onboarding pipeline and its
evidence (references, DBS, training, agreement), notes and reminders.

The pipeline's rules (`pipeline`): a coordinator moves an application on by hand only out
of the stages that have no evidence (applied, screening call, interview); the others complete
by themselves when their evidence arrives (`complete_by_evidence`), and no one becomes active
without all of it unless a coordinator overrides with a recorded reason.
"""

from volunteers.services.application import (
    ApplicationError,
    draft_for,
    save_draft,
    sign_agreement,
    step_down,
    submit,
    withdraw,
)
from volunteers.services.checks import dbs_renewal_reminders, record_dbs
from volunteers.services.pipeline import (
    StageError,
    add_note,
    complete_by_evidence,
    evidence_missing,
    move,
    override_to_active,
    training_attended,
)
from volunteers.services.references import (
    ReferenceLinkError,
    answer_reference,
    chase_references,
    reference_for_token,
    request_references,
)
from volunteers.services.retention import anonymise_closed_applications

__all__ = [
    "ApplicationError",
    "ReferenceLinkError",
    "StageError",
    "add_note",
    "anonymise_closed_applications",
    "answer_reference",
    "chase_references",
    "complete_by_evidence",
    "dbs_renewal_reminders",
    "draft_for",
    "evidence_missing",
    "move",
    "override_to_active",
    "reference_for_token",
    "record_dbs",
    "request_references",
    "save_draft",
    "sign_agreement",
    "step_down",
    "submit",
    "training_attended",
    "withdraw",
]
