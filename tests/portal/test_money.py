"""The one way money is written (portal.money and the `pounds` template filter)."""

from decimal import Decimal

import pytest
from django.template import engines

from portal.money import pounds, pounds_number


@pytest.mark.parametrize(
    "pence, written",
    [(0, "£0.00"), (5, "£0.05"), (4500, "£45.00"), (123450, "£1,234.50"), (-1200, "-£12.00")],
)
def test_pounds(pence, written):
    assert pounds(pence) == written


def test_a_price_of_nothing_can_say_free():
    assert pounds(0, zero="Free") == "Free" and pounds(4500, zero="Free") == "£45.00"


def test_spreadsheets_get_numbers_of_pounds():
    assert pounds_number(123456) == Decimal("1234.56") and pounds_number(-5) == Decimal("-0.05")


def test_the_template_filter_is_the_same_function():
    template = engines["django"].from_string(
        '{% load money %}{{ owed|pounds }} / {{ price|pounds:"Free" }}'
    )
    assert template.render({"owed": 123450, "price": 0}) == "£1,234.50 / Free"
