"""Every write to registers, completion, feedback and certificates, in explicit transactions
(marking: registers and completion; feedback; certificates). The names below are the API."""

from portal.attendance.selectors import marks_of
from portal.attendance.services.certificates import (
    CertificateUnavailable,
    certificate_details,
    certificate_token,
    completion_for_certificate_token,
    completion_for_reference,
    details_for_reference,
    mark_for_certificate_token,
    mark_for_reference,
    series_certificate_details,
    series_certificate_token,
    series_verification_reference,
    verification_reference,
)
from portal.attendance.services.feedback import (
    FEEDBACK_LINK_LIFETIME,
    FeedbackLinkError,
    feedback_token,
    mark_for_feedback,
    request_feedback,
    send_due_feedback,
    submit_feedback,
)
from portal.attendance.services.marking import (
    RegisterError,
    mark,
    mark_all_present,
    not_started_message,
    recompute_completion,
    recompute_every_series,
    take_register,
)

__all__ = [
    "FEEDBACK_LINK_LIFETIME",
    "CertificateUnavailable",
    "FeedbackLinkError",
    "RegisterError",
    "certificate_details",
    "certificate_token",
    "completion_for_certificate_token",
    "completion_for_reference",
    "details_for_reference",
    "feedback_token",
    "mark",
    "mark_all_present",
    "mark_for_certificate_token",
    "mark_for_feedback",
    "mark_for_reference",
    "marks_of",
    "not_started_message",
    "recompute_completion",
    "recompute_every_series",
    "request_feedback",
    "send_due_feedback",
    "series_certificate_details",
    "series_certificate_token",
    "series_verification_reference",
    "submit_feedback",
    "take_register",
    "verification_reference",
]
