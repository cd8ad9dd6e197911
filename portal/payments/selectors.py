"""Reads about payments: the newest payment for a reference, and what staff may see."""

from __future__ import annotations

from django.db.models import QuerySet

from portal import scope
from portal.payments.models import Payment, Refund


def current_payment(purpose: str, reference: str) -> Payment | None:
    """The newest payment for one of a feature's references, whatever its status."""
    return (
        Payment.objects.filter(purpose=purpose, reference=reference).order_by("-created_at").first()
    )


def payments_visible_to(user) -> QuerySet[Payment]:
    """The payments this member of staff may see: every one for a superuser; for other
    staff, those assigned to them and those for what the feature that sold it says they see
    (its `scope.register_rule(Payment, ...)`: courses, the bookings of their sessions).
    Figures-only roles (commissioners): none, a payment names who paid."""
    if not user.is_authenticated or scope.figures_only(user):
        return Payment.objects.none()
    return scope.visible(Payment.objects.all(), user, locality=None)


def refunds_visible_to(user) -> QuerySet[Refund]:
    """The refunds of the payments visible to this member of staff."""
    return Refund.objects.filter(payment__in=payments_visible_to(user).values("pk"))
