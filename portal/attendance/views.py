"""Public pages: certificates of attendance, their verification, and the feedback form."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal.attendance import certificates, services
from portal.attendance.forms import FeedbackForm
from portal.attendance.models import AttendanceMark, SeriesCompletion
from portal.attendance.registry import source_for_series_type, source_for_type


def _certificate_response(mark: AttendanceMark) -> HttpResponse:
    try:
        details = services.certificate_details(mark)
    except services.CertificateUnavailable:
        raise Http404("No certificate of attendance for this.") from None
    return _pdf(details, services.verification_reference(mark))


def _series_certificate_response(completion: SeriesCompletion) -> HttpResponse:
    try:
        details = services.series_certificate_details(completion)
    except services.CertificateUnavailable:
        raise Http404("No certificate for this.") from None
    return _pdf(details, services.series_verification_reference(completion))


def _pdf(details, reference: str) -> HttpResponse:
    verify_url = settings.SITE_URL + reverse("attendance:verify", args=[reference])
    response = HttpResponse(
        certificates.render(details, reference, verify_url), content_type="application/pdf"
    )
    filename = "certificate-of-completion" if details.held_until else "certificate-of-attendance"
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def my_certificate(request, pk: int):
    """From "My account": only the person the mark is about may download it."""
    mark = get_object_or_404(AttendanceMark, pk=pk)
    source = source_for_type(mark.occurrence_type_id)
    if source is None or not source.people_of(request.user).filter(pk=mark.person_id).exists():
        raise Http404("No certificate of attendance for this.")
    return _certificate_response(mark)


def certificate_by_link(request, token: str):
    """From the email sent after the session: the signed link is the permission."""
    try:
        mark = services.mark_for_certificate_token(token)
    except services.CertificateUnavailable:
        raise Http404("No certificate of attendance for this.") from None
    return _certificate_response(mark)


@login_required
def my_series_certificate(request, pk: int):
    """From "My account": only the person who completed the series may download it."""
    completion = get_object_or_404(SeriesCompletion, pk=pk)
    source = source_for_series_type(completion.series_type_id)
    if (
        source is None
        or not source.people_of(request.user).filter(pk=completion.person_id).exists()
    ):
        raise Http404("No certificate for this.")
    return _series_certificate_response(completion)


def series_certificate_by_link(request, token: str):
    """From the email sent after the series' last occurrence: the signed link is the permission."""
    try:
        completion = services.completion_for_certificate_token(token)
    except services.CertificateUnavailable:
        raise Http404("No certificate for this.") from None
    return _series_certificate_response(completion)


@never_cache
def verify(request, reference: str):
    details = services.details_for_reference(reference)
    return render(
        request,
        "attendance/verify.html",
        {"details": details, "reference": reference},
        status=200 if details else 404,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def feedback(request, token: str):
    try:
        mark = services.mark_for_feedback(token)
    except services.FeedbackLinkError as error:
        return _link_problem(request, error)
    source = source_for_type(mark.occurrence_type_id)
    occurrence = source.queryset().get(pk=mark.occurrence_id)
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_feedback(
                token, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
            )
        except services.FeedbackLinkError as error:
            return _link_problem(request, error)
        return render(request, "attendance/feedback_thanks.html")
    return render(
        request,
        "attendance/feedback.html",
        {"form": form, "title": source.title(occurrence)},
    )


def _link_problem(request, error: services.FeedbackLinkError) -> HttpResponse:
    return render(
        request,
        "attendance/feedback_link_problem.html",
        {"problem": str(error)},
        status=error.status,
    )
