"""The training catalogue and a course's page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from courses import selectors
from courses.forms import (
    CatalogueFilterForm,
)
from courses.views.common import error_summary

SESSIONS_PER_PAGE = 20


def catalogue(request, index_page):
    form = CatalogueFilterForm(request.GET or None)
    filters = {}
    if form.is_bound:
        # A filter in error is left out (and said so next to it); the others still apply.
        form.is_valid()
        filters = form.cleaned_data
    sessions = selectors.catalogue(filters)
    page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "courses/catalogue.html",
        {
            "page": index_page,
            "form": form,
            "errors": error_summary(form) if form.is_bound else [],
            "sessions": page,
            "query": query.urlencode(),
            "booked": selectors.sessions_with_a_place_of(request.user),
        },
    )


def course_detail(request, course_page):
    sessions = selectors.upcoming_sessions().filter(course=course_page)
    prices = [row for row in course_page.audiences.all() if row.may_book]
    return render(
        request,
        "courses/course_page.html",
        {
            "page": course_page,
            "sessions": sessions,
            "prices": prices,
            "booked": selectors.sessions_with_a_place_of(request.user),
        },
    )
