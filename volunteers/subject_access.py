"""The subject-access copy a volunteer downloads of their own application (UK GDPR
article 15), as JSON: a commonly used electronic form they can keep or pass on.

What it holds, and why not more (the self-service copy is given without a person reading it
first, so it holds only what needs no one's judgement):
- everything they gave us: their account's name and email, their answers (lived experience
  too: it is theirs), their localities, roles and availability, their referees' names,
  emails and relationships, their conflicts of interest, the agreement they signed;
- the factual record about them: every stage with its date, each reference's status and
  dates, the DBS record in full (level, certificate number, dates, Update Service, outcome,
  renewal), the training the roles need and when they attended it.
- Left out: the referees' answers (a reference given in confidence for volunteering is
  exempt, Data Protection Act 2018 schedule 2 paragraph 24), and the coordinators' notes
  and reasons recorded on stage changes, which can hold other people's data and are given
  on a subject-access request to the service, read by a person first (`NOT_INCLUDED` says
  so in the file). Equality monitoring answers are not linked to anyone, so cannot be
  found for anyone: the file says that too.
"""

from __future__ import annotations

from django.utils import timezone

from volunteers import selectors
from volunteers.models import Application, DBSCheck

NOT_INCLUDED = (
    "This copy leaves out what your referees wrote (references given in confidence are "
    "exempt from subject access) and the notes our volunteer coordinators keep, which may "
    "hold other people's information. You can ask us for those through a subject access "
    "request: we will reply within one month. Your equality monitoring answers, if you gave "
    "any, were kept with nothing linking them to you, so we cannot find them to include."
)


def _when(value):
    if value is None:
        return None
    if hasattr(value, "tzinfo"):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def export(application: Application) -> dict:
    """The person's data on this application, in a fixed number of queries."""
    application = (
        Application.objects.select_related("user")
        .prefetch_related("localities", "roles", "references", "changes")
        .get(pk=application.pk)
    )
    user = application.user
    dbs = DBSCheck.objects.filter(application=application).first()
    today = timezone.localdate()
    return {
        "generated_at": _when(timezone.now()),
        "about_this_copy": NOT_INCLUDED,
        "account": {"name": user.get_full_name(), "email": user.email},
        "application": {
            "reference": application.reference,
            "stage": application.get_stage_display(),
            "started_at": _when(application.created_at),
            "sent_at": _when(application.submitted_at),
            "phone": application.phone,
            "postcode": application.postcode,
            "localities": [locality.name for locality in application.localities.all()],
            "availability": application.availability_labels,
            "roles": [role.title for role in application.roles.all()],
            "experience": application.experience,
            "motivation": application.motivation,
            "lived_experience": application.lived_experience,
            "conflicts_of_interest": application.conflicts_of_interest,
            "agrees_to_policies": application.agrees_to_policies,
            "agreement_signed_at": _when(application.agreement_signed_at),
        },
        "stages": [
            {
                "from": change.get_from_stage_display(),
                "to": change.get_to_stage_display(),
                "at": _when(change.at),
                "completed_by_itself": change.automatic,
            }
            for change in application.changes.all()
        ],
        "references": [
            {
                "referee_name": reference.name,
                "referee_email": reference.email,
                "relationship": reference.relationship,
                "status": reference.get_status_display(),
                "requested_at": _when(reference.requested_at),
                "reminders_sent": reference.reminders_sent,
                "received_at": _when(reference.received_at),
            }
            for reference in application.references.all()
        ],
        "dbs_check": dbs
        and {
            "level": dbs.get_level_display(),
            "certificate_number": dbs.certificate_number,
            "issued_on": _when(dbs.issued_on),
            "update_service": dbs.update_service,
            "update_service_status_checked_on": _when(dbs.status_checked_on),
            "outcome": dbs.get_outcome_display(),
            "renewal_due_on": _when(dbs.renewal_due_on),
            "recorded_at": _when(dbs.recorded_at),
        },
        "training": [
            {
                "course": status.course.title,
                "attended_on": _when(status.attended_on),
                "valid_until": _when(status.valid_until),
                "done": status.done(today),
            }
            for status in selectors.training_status(application)
        ],
    }
