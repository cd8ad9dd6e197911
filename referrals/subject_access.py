"""A person's subject-access request and erasure request about their referrals, answered by
staff with `referrals.handle_subject_request` (Coordinators, referrals 0004) for the
referrals they may see (`selectors.referrals_visible_to`).

Which referrals are the person's is the staff member's call: `candidates` offers those that
match the one they started from (email, phone, or name and date of birth, as de-duplication
does), and only the ones they tick are exported or erased: a phone shared in a family must
not hand one person's referral to another.

The export (JSON) holds everything recorded about the person, case notes and the referrer's
details included, for the member of staff to read and redact other people's information from
before it is sent (`ABOUT_THIS_COPY`); staff names are left out. Erasure deletes the referrals
with their contact attempts, case notes and handovers, their safe-contact plans, every message
about them (portal.notify) and the detail of every audit row about them (portal.audit): the
trail keeps who did what and when, and one "erased" row per referral that names no one.

Another app with records about the person of a referral (programmes: the places offered
from it) registers them from its `ready()` with `register_related(RelatedRecords(...))`:
its `export(referral)` joins the download under its key, and its `erase(referral, by)`
deletes them first, before the referral and its plan (which their foreign keys protect)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from portal import audit, notify

from . import selectors
from .models import Referral

ABOUT_THIS_COPY = (
    "Everything the service recorded about the person in these referrals. Before sending it, "
    "read it and remove what is about other people (the referrer, family members named in "
    "the details or the case notes) unless they agreed or it is reasonable to share it."
)


@dataclass(frozen=True)
class RelatedRecords:
    key: str
    export: Callable[[Referral], Any]
    erase: Callable[..., None]  # erase(referral, by)


_related: dict[str, RelatedRecords] = {}


def register_related(records: RelatedRecords) -> RelatedRecords:
    _related[records.key] = records
    return records


def candidates(referral: Referral, user) -> tuple[list[Referral], int]:
    """The referrals that may be this person's, of those `user` may see (this one first),
    and how many more match in places they do not cover (to be asked of staff there)."""
    plan = referral.plan
    match = selectors.same_person(
        email=plan.email, phone=plan.phone, identity=referral.identity
    ) | Q(pk=referral.pk)
    visible = sorted(
        selectors.referrals_visible_to(user).filter(match),
        key=lambda r: (r.pk != referral.pk, -r.created_at.timestamp()),
    )
    elsewhere = Referral.objects.filter(match).exclude(pk__in=[r.pk for r in visible]).count()
    return visible, elsewhere


def _when(value):
    return timezone.localtime(value).isoformat() if value else None


def _one(referral: Referral) -> dict:
    plan = referral.plan
    return {
        "reference": referral.reference,
        "made_at": _when(referral.created_at),
        "kind": referral.get_kind_display(),
        "source": referral.get_source_display(),
        "locality": referral.locality.name,
        "status": referral.get_status_display(),
        "route": referral.get_route_display(),
        "risk_level": referral.get_risk_level_display(),
        "risk_reasons": referral.risk_reason_labels,
        "outcome": referral.get_outcome_display(),
        "outcome_reason": referral.outcome_reason,
        "decided_at": _when(referral.decided_at),
        "first_contact_at": _when(referral.first_contact_at),
        "closure": referral.get_closure_display(),
        "closure_note": referral.closure_note,
        "closed_at": _when(referral.closed_at),
        "person": {
            "name": plan.name,
            "email": plan.email,
            "phone": plan.phone,
            "date_of_birth": referral.date_of_birth,
            "postcode": referral.postcode,
        },
        "help_wanted": referral.help_wanted,
        "access_needs": referral.access_needs,
        "childcare_needs": referral.childcare_needs,
        "details": referral.details,
        "referrer": {
            "name": referral.referrer_name,
            "role": referral.referrer_role,
            "agency": referral.referrer_agency,
            "email": referral.referrer_email,
            "phone": referral.referrer_phone,
        },
        "consent_given": referral.consent_given,
        "lawful_basis": referral.lawful_basis,
        "police_risk_level": referral.police_risk,
        "school": referral.school_name,
        "school_told": referral.school_told,
        "dash_answers": {str(k): v for k, v in referral.answers.items()},
        "professional_judgement": referral.judgement,
        "incidents_last_year": referral.incidents_last_year,
        "safe_contact_plan": {
            "email_is_safe": plan.email_is_safe,
            "text_is_safe": plan.text_is_safe,
            "phone_call_is_safe": plan.phone_call_is_safe,
            "letter_is_safe": plan.letter_is_safe,
            "safe_days": plan.safe_days,
            "safe_windows": plan.safe_windows,
            "voicemail_allowed": plan.voicemail_allowed,
            "voicemail_wording": plan.voicemail_wording,
            "service_may_be_named": plan.service_may_be_named,
            "alternative_contact": plan.alternative_contact,
            "preferred_name": plan.preferred_name,
            "language": plan.language,
            "interpreter_needed": plan.interpreter_needed,
            "postal_address": plan.postal_address,
        },
        "contact_attempts": [
            {
                "at": _when(a.at),
                "channel": a.get_channel_display(),
                "outcome": a.get_outcome_display(),
                "note": a.note,
            }
            for a in referral.attempts.all()
        ],
        "case_notes": [{"at": _when(n.created_at), "text": n.text} for n in referral.notes.all()],
        "handovers": [
            {
                "at": _when(h.at),
                "from_locality": h.from_locality.name,
                "to_locality": h.to_locality.name,
                "reason": h.reason,
            }
            for h in referral.handovers.all()
        ],
        **{records.key: records.export(referral) for records in _related.values()},
    }


def export(referrals: list[Referral], *, by) -> dict:
    """The person's data in these referrals (audited, one export row per referral)."""
    rows = (
        Referral.objects.filter(pk__in=[r.pk for r in referrals])
        .select_related("plan", "locality")
        .prefetch_related("attempts", "notes", "handovers__from_locality", "handovers__to_locality")
        .order_by("created_at")
    )
    for referral in rows:
        audit.record(by, audit.Action.EXPORT, referral, format="json", request="subject access")
    return {
        "generated_at": _when(timezone.now()),
        "about_this_copy": ABOUT_THIS_COPY,
        "referrals": [_one(referral) for referral in rows],
    }


@transaction.atomic
def erase(referrals: list[Referral], *, by) -> int:
    """Delete these referrals and everything about them; returns how many."""
    rows = list(
        Referral.objects.select_for_update()
        .filter(pk__in=[r.pk for r in referrals])
        .select_related("plan")
    )
    for referral in rows:
        plan = referral.plan
        related = [*referral.attempts.all(), *referral.notes.all(), *referral.handovers.all()]
        for records in _related.values():
            records.erase(referral, by)
        notify.erase_for(referral)
        notify.erase_for(plan)
        for record in (referral, plan, *related):
            audit.erase_detail(record)
        audit.record(by, audit.Action.ERASE, referral, request="erasure")
        referral.delete()  # its attempts, notes and handovers with it
        plan.delete()
    return len(rows)
