"""Referrals as the public forms make them (through the service), for tests."""

from __future__ import annotations

import itertools

from portal.localities import Locality
from referrals import services
from referrals.models import Kind, Source

_numbers = itertools.count(1)

SAFE_PLAN = {
    "email_is_safe": True,
    "text_is_safe": False,
    "phone_call_is_safe": True,
    "letter_is_safe": False,
    "safe_days": [],
    "safe_windows": [],
    "voicemail_allowed": False,
    "voicemail_wording": "",
    "service_may_be_named": True,
    "location_in_calendar": False,
    "preferred_name": "",
    "language": "",
    "interpreter_needed": False,
    "alternative_contact": "",
}


def referral(
    locality: str = "north",
    *,
    name: str | None = None,
    email: str | None = None,
    phone: str = "",
    date_of_birth: str = "",
    kind: str = Kind.SELF,
    source: str = Source.SELF,
    plan: dict | None = None,
    risk: services.Risk | None = None,
    details: dict | None = None,
    **kwargs,
):
    number = next(_numbers)
    return services.submit(
        kind=kind,
        source=source,
        locality=Locality.objects.get(slug=locality),
        person=services.Person(
            name=name or f"Person {number}",
            email=f"person{number}@example.com" if email is None else email,
            phone=phone,
            date_of_birth=date_of_birth,
        ),
        plan_values={**SAFE_PLAN, **(plan or {})},
        details=details or {},
        risk=risk,
        **kwargs,
    )
