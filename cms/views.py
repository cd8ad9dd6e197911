import re

from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Page

from cms import feeds, selectors
from cms.caching import apply_cache_policy
from cms.forms import DropInFilterForm, SearchForm

RESULTS_PER_PAGE = 10
MAX_DROP_IN_RESULTS = 5


def search_terms(query: str) -> str:
    """Words only: punctuation means operators to full-text engines (SQLite's FTS5 fails on it)."""
    return " ".join(re.sub(r"[^\w\s]", " ", query).split())


@require_safe
def search(request):
    """Guidance, pages and drop-ins, by Wagtail search. A plain GET form: no JavaScript needed."""
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_bound and form.is_valid() else ""
    terms = search_terms(query)
    results = drop_ins = None
    if terms:
        pages = Page.objects.live().public().specific().search(terms)
        results = Paginator(pages, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        drop_ins = list(
            selectors.shown_drop_ins()
            .select_related("locality")
            .search(terms)[:MAX_DROP_IN_RESULTS]
        )
    context = {
        "form": form,
        "query": query,
        "results": results,
        "drop_ins": drop_ins,
        "finder": selectors.drop_in_finder() if drop_ins else None,
    }
    response = TemplateResponse(request, "cms/search.html", context)
    return apply_cache_policy(request, response)


@require_safe
def drop_ins_feed(request):
    """All listed drop-ins, or those the finder's filters chose (`?locality=north&day=monday`).
    A filter it does not know is a 400: a calendar app would never show the finder's message,
    and the whole feed in its place would be the wrong calendar."""
    form = DropInFilterForm(request.GET or None)
    filters = form.cleaned_filters()
    if form.errors:
        messages = [message for errors in form.errors.values() for message in errors]
        return HttpResponseBadRequest(
            "\n".join(messages) + "\n", content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(
        feeds.drop_ins_calendar(**filters), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="drop-ins.ics"'
    return apply_cache_policy(request, response)


@require_safe
def sitemap(request):
    """Wagtail's sitemap.xml under the same policy as the pages it lists."""
    return apply_cache_policy(request, wagtail_sitemap(request))
