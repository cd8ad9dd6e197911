"""The register screen in the staff area: a list of the registers a person may take, and the
register itself (radios per person, "Mark all present"), built to work on a phone and
without JavaScript; and the feedback people gave, with its averages, for those who read it."""

from datetime import datetime, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from portal import audit
from portal.attendance import selectors, services
from portal.attendance.forms import RegisterForm
from portal.attendance.models import FeedbackResponse
from portal.attendance.registry import source_by_key, sources

# "My registers" shows the last week (registers are often finished afterwards) and the next.
LIST_WINDOW = timedelta(days=7)


def register_list(request):
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    start, end = today - LIST_WINDOW, today + LIST_WINDOW + timedelta(days=1)
    groups = []
    for source in sources():
        if not source.takes_registers(request.user):
            continue
        occurrences = list(
            source.occurrences_for(request.user).filter(
                **{
                    f"{source.starts_at_field}__gte": start,
                    f"{source.starts_at_field}__lt": end,
                }
            )
        )
        ids = [o.pk for o in occurrences]
        marked = selectors.mark_counts(source, ids)
        expected = source.expected_counts(ids)
        groups.append(
            {
                "source": source,
                "rows": [
                    {
                        "occurrence": o,
                        "title": source.title(o),
                        "starts_at": timezone.localtime(source.starts_at(o)),
                        "is_today": _same_day(source.starts_at(o), today),
                        "marked": marked.get(o.pk, 0),
                        "expected": expected.get(o.pk, 0),
                    }
                    for o in occurrences
                ],
            }
        )
    return TemplateResponse(
        request,
        "attendance/admin/register_list.html",
        {"groups": groups, "header_title": "Registers", "page_title": "Registers"},
    )


def _same_day(moment: datetime, today: datetime) -> bool:
    return timezone.localtime(moment).date() == today.date()


def register(request, source_key: str, pk: int):
    source = source_by_key(source_key)
    occurrence = get_object_or_404(source.queryset(), pk=pk)
    if not source.may_take(request.user, occurrence):
        # Not theirs: the same 404 as for no such occurrence, so nothing about it is revealed.
        raise Http404("No such register.")
    rows = selectors.register_rows(source, occurrence)
    form = RegisterForm(
        request.POST if request.method == "POST" else None,
        rows=rows,
        with_hours=source.records_duration,
    )
    if request.method == "POST":
        if "mark_all_present" in request.POST:
            try:
                changed = services.mark_all_present(occurrence, by=request.user)
            except services.RegisterError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, f"Marked {changed} more as present.")
            return redirect(request.path)
        if form.is_valid():
            try:
                services.take_register(
                    occurrence, form.statuses(), by=request.user, durations=form.durations()
                )
            except services.RegisterError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Register saved.")
                return redirect(request.path)
    title = source.title(occurrence)
    starts_at = timezone.localtime(source.starts_at(occurrence))
    ends_at = timezone.localtime(source.ends_at(occurrence))
    when = f"{starts_at:%A %-d %B %Y}, {starts_at:%H:%M} to {ends_at:%H:%M}"
    place = source.place(occurrence)
    # The register names people and what they need: every time it is shown is a staff view
    # of personal data, recorded with how many people's access needs it showed.
    audit.record_view(
        request, occurrence, access_needs_shown=sum(1 for row in rows if row.entry.needs)
    )
    return TemplateResponse(
        request,
        "attendance/admin/register.html",
        {
            "form": form,
            "title": title,
            "not_started": services.not_started_message(source, occurrence),
            "unmarked": sum(1 for row in rows if not row.mark),
            "wording": source.wording,
            "header_title": f"Register: {title}, {when}",
            "page_title": f"Register: {title}",
            "page_subtitle": f"{when}, {place}" if place else when,
        },
    )


# Feedback: what people said, for those who read it (Coordinators), within the source's scope.
READ_FEEDBACK = "attendance.view_feedbackresponse"


def reads_feedback(user) -> bool:
    return user.is_authenticated and user.has_perm(READ_FEEDBACK)


def feedback_list(request):
    if not reads_feedback(request.user):
        raise PermissionDenied
    groups = [
        {"source": source, "rows": selectors.feedback_summaries(source, request.user)}
        for source in sources()
        if source.sends_feedback
    ]
    audit.record_listing(request, FeedbackResponse)
    return TemplateResponse(
        request,
        "attendance/admin/feedback_list.html",
        {"groups": groups, "header_title": "Feedback", "page_title": "Feedback"},
    )


def feedback(request, source_key: str, pk: int):
    if not reads_feedback(request.user):
        raise PermissionDenied
    source = source_by_key(source_key)
    # Outside this person's scope: the same 404 as for no such occurrence.
    occurrence = get_object_or_404(
        source.queryset().filter(pk__in=source.occurrences_for(request.user).values("pk")), pk=pk
    )
    responses = selectors.feedback_of(source, occurrence)
    title = source.title(occurrence)
    starts_at = timezone.localtime(source.starts_at(occurrence))
    # Comments are free text that may name anyone: reading them is a staff view of personal data.
    audit.record_view(request, occurrence, feedback_responses=len(responses))
    average = (
        selectors.one_decimal(sum(r.rating for r in responses) / len(responses))
        if responses
        else None
    )
    return TemplateResponse(
        request,
        "attendance/admin/feedback.html",
        {
            "responses": responses,
            "comments": [r for r in responses if r.comment],
            "average": average,
            "ratings": [(n, sum(1 for r in responses if r.rating == n)) for n in range(5, 0, -1)],
            "header_title": f"Feedback: {title}, {starts_at:%-d %B %Y}",
            "page_title": f"Feedback: {title}",
            "page_subtitle": f"{starts_at:%A %-d %B %Y}, {starts_at:%H:%M}",
        },
    )
