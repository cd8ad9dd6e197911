from django import template

from portal import money

register = template.Library()


@register.filter
def pounds(pence: int, zero: str = "") -> str:
    """`{{ pence|pounds }}` is £12.50; `{{ pence|pounds:"Free" }}` says Free for nothing."""
    return money.pounds(pence, zero=zero)
