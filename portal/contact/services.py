"""Writes to safe-contact plans."""

from __future__ import annotations

from django.db import transaction

from portal import audit, scope
from portal.contact.models import SafeContactPlan
from portal.contact.selectors import plan_of
from portal.localities import StaffAssignment


@transaction.atomic
def save_own_plan(user, values: dict, *, phone: str) -> SafeContactPlan:
    """The person's own plan, as they set it in My account (created on first save)."""
    plan = plan_of(user) or SafeContactPlan(user=user)
    created = plan.pk is None
    for name, value in values.items():
        setattr(plan, name, value)
    plan.save()
    phone = phone.strip()
    if phone != user.phone:
        user.phone = phone
        user.save(update_fields=["phone"])
    audit.record(user, audit.Action.CREATE if created else audit.Action.CHANGE, plan, by="self")
    return plan


def record_plan_by_staff(plan: SafeContactPlan, *, by) -> None:
    """After staff add a plan: it is assigned to them, so the plan they recorded stays in
    their sight (portal.scope) until it is shared through the person's other records."""
    if not scope.sees_everything(by):
        StaffAssignment.objects.create(user=by, target=plan)
    audit.record(by, audit.Action.CREATE, plan)
