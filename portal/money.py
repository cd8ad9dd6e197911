"""Money: every amount is kept in whole pence; this is the one way to write one for people
(pages, emails, invoices, messages) and for spreadsheets (a number of pounds). Templates use
the `pounds` filter (`{% load money %}`): `{{ price|pounds }}`, `{{ price|pounds:"Free" }}`."""

from __future__ import annotations

from decimal import Decimal

PENNIES = Decimal(100)


def pounds(pence: int, *, zero: str = "") -> str:
    """'£1,234.50' for 123450 pence, '-£12.00' for a credit of 1200; `zero` (a price's
    "Free") instead of '£0.00' when given."""
    if not pence and zero:
        return zero
    sign = "-" if pence < 0 else ""
    return f"{sign}£{Decimal(abs(pence)) / PENNIES:,.2f}"


def pounds_number(pence: int) -> Decimal:
    """The amount as a number of pounds (two places), for spreadsheet and report cells."""
    return (Decimal(pence) / PENNIES).quantize(Decimal("0.01"))
