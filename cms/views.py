import re

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Page

from cms import feeds, selectors
from cms.caching import apply_cache_policy
from cms.forms import SearchForm

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
    response = HttpResponse(feeds.drop_ins_calendar(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="drop-ins.ics"'
    return apply_cache_policy(request, response)


@require_safe
def sitemap(request):
    """Wagtail's sitemap.xml under the same policy as the pages it lists."""
    return apply_cache_policy(request, wagtail_sitemap(request))
