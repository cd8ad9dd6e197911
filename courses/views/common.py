"""What the booking pages share: the error summary, and finding the booking a person may
manage."""

from __future__ import annotations

from django.forms import BaseFormSet
from django.http import Http404
from django.shortcuts import get_object_or_404

from courses import selectors
from courses.models import (
    Booking,
)


def error_summary(*forms, unlinked=(), first=()) -> list[tuple[str, str]]:
    """(link, message) for the GOV.UK error summary: every error of the forms (and formsets),
    each linked to its field ("" when there is no field to go to, or it is not shown)."""
    items = list(first)
    for form in forms:
        if form is None:
            continue
        if isinstance(form, BaseFormSet):
            items += [("", str(e)) for e in form.non_form_errors()]
            for number, row in enumerate(form.forms, start=1):
                items += [
                    (link, f"Attendee {number}: {message}") for link, message in error_summary(row)
                ]
            continue
        items += [("", str(e)) for e in form.non_field_errors()]
        for field in form:
            link = "" if field.name in unlinked else f"#{field.auto_id}"
            items += [(link, str(e)) for e in field.errors]
    return items


def _own_booking(request, reference: str) -> Booking:
    booking = get_object_or_404(
        Booking.objects.select_related("session__course", "organisation"), reference=reference
    )
    # The booker, or an admin of the organisation it is for; anyone else: as for no booking.
    if not selectors.may_manage_booking(request.user, booking):
        raise Http404("No such booking.")
    return booking
