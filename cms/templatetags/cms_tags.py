import re

from django import template
from django.http import QueryDict

from cms.hours import format_time

register = template.Library()


@register.filter
def tel_href(number: str) -> str:
    """'0808 2000 247' -> 'tel:08082000247'."""
    return "tel:" + re.sub(r"[^0-9+]", "", number or "")


@register.filter
def clock(value) -> str:
    return format_time(value)


@register.simple_tag(takes_context=True)
def page_query(context, number: int) -> str:
    """The current query string with another page number, for pagination links."""
    query: QueryDict = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()
