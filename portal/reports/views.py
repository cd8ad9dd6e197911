"""The service's reports in the staff area, each with XLSX and CSV export. Each report is
open to those holding its own permission (a 404 for anyone else); what they see, on
screen and in both exports, is its rows for them with small numbers suppressed."""

from datetime import datetime

from django.contrib.auth.models import Group
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django_filters import DateFromToRangeFilter
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from portal import audit
from portal.reports.models import ServiceReports
from portal.reports.registry import Percent, report_for, reports_for
from portal.reports.suppression import Hidden


class DateRangeFilterSet(WagtailFilterSet):
    held = DateFromToRangeFilter(label="Held between", widget=DateRangePickerWidget)


def report_index(request):
    reports = reports_for(request.user)
    if not reports:
        raise Http404("No reports.")
    return render(
        request,
        "reports/index.html",
        {
            "reports": reports,
            "header_title": "Service reports",
            "page_title": "Service reports",
        },
    )


class ServiceReportView(audit.AuditedListingMixin, ReportView):
    """One registered report. Its rows are aggregates, not model instances, so the date
    filter is passed to the report's query rather than applied to a queryset afterwards.
    Each view and export is audited (figures about people, however aggregated)."""

    audit_model = ServiceReports

    def audit_detail(self) -> dict:
        return {"report": self.report.slug}

    header_icon = "table"
    results_template_name = "reports/report_results.html"
    filterset_class = DateRangeFilterSet
    paginate_by = 100
    # Rates export as numbers, not as the text "75%"; times as the clock in London read them
    # (Wagtail's default writes UTC into XLSX, an hour out all summer); a suppressed figure
    # as its words ("fewer than 5"), in a text cell.
    custom_value_preprocess = {
        **ReportView.custom_value_preprocess,
        datetime: {
            ReportView.FORMAT_XLSX: lambda value: (
                timezone.make_naive(value) if timezone.is_aware(value) else value
            )
        },
        Percent: {
            ReportView.FORMAT_XLSX: lambda rate: rate.fraction,
            ReportView.FORMAT_CSV: lambda rate: rate.points,
        },
        Hidden: {ReportView.FORMAT_XLSX: str, ReportView.FORMAT_CSV: str},
    }

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.report = report_for(request.user, kwargs["slug"])
        self.list_export = [key for key, _ in self.report.columns]
        self.export_headings = dict(self.report.columns)
        self.columns = [Column(key, label=heading) for key, heading in self.report.columns]
        self.export_filename = self.report.slug

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        cells = super().generate_xlsx_row(worksheet, row_dict, date_format=date_format)
        for value, cell in zip(row_dict.values(), cells, strict=True):
            if isinstance(value, Percent):
                cell.number_format = "0%"
            yield cell

    def get_page_title(self):
        return self.report.title

    def get_page_subtitle(self):
        return self.report.description

    @property
    def index_url(self):
        return self.request.path

    @property
    def index_results_url(self):
        return self.request.path

    def get_filterset_kwargs(self):
        # The filter form only collects the dates; there is no queryset for it to filter.
        return {**super().get_filterset_kwargs(), "queryset": Group.objects.none()}

    def date_range(self):
        if self.filters and self.filters.is_valid():
            held = self.filters.form.cleaned_data.get("held")
            if held:
                return held.start, held.stop
        return None, None

    def get_filtered_queryset(self):
        return self.report.shown_rows(*self.date_range(), user=self.request.user)

    def get_breadcrumbs_items(self):
        return [
            {"url": "", "label": "Reports"},
            {"url": "", "label": self.report.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["report"] = self.report
        return context
