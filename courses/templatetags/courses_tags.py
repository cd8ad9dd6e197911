from django import template

from portal.money import pounds

register = template.Library()


@register.simple_tag
def places_left(session) -> int:
    """From the `taken` annotation (portal.places.with_places_taken): no query per session."""
    return max(session.capacity - session.taken, 0)


@register.filter
def audience_prices(course) -> str:
    """Each audience that may book the course, with its price a place: "Council staff: free
    · Business: £45.00". Uses the course's prefetched audiences (no query per session)."""
    return " · ".join(
        f"{row.get_audience_display()}: {pounds(row.price_pence, zero='free')}"
        for row in course.audiences.all()
        if row.may_book
    )


@register.filter
def times(pence: int, quantity: int) -> int:
    return pence * quantity
