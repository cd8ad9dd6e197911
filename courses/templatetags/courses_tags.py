from django import template

register = template.Library()


@register.simple_tag
def places_left(session) -> int:
    """From the `taken` annotation (courses.selectors.with_places): no query per session."""
    return max(session.capacity - session.taken, 0)


@register.filter
def pounds(pence: int) -> str:
    return "Free" if not pence else f"£{pence / 100:,.2f}"
