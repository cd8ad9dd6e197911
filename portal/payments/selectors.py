"""Reads about payments that features reuse."""

from portal.payments.models import Payment


def current_payment(purpose: str, reference: str) -> Payment | None:
    """The newest payment for one of a feature's references, whatever its status."""
    return (
        Payment.objects.filter(purpose=purpose, reference=reference).order_by("-created_at").first()
    )


def payments_for(purpose: str, references: list[str]) -> dict[str, Payment]:
    """The newest payment per reference, in one query (for lists of bookings)."""
    newest: dict[str, Payment] = {}
    for payment in Payment.objects.filter(purpose=purpose, reference__in=references).order_by(
        "created_at"
    ):
        newest[payment.reference] = payment
    return newest
