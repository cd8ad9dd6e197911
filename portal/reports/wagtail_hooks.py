from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from portal.reports import views
from portal.reports.registry import reports_for


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("service-reports/", views.report_index, name="service_reports"),
        path(
            "service-reports/<slug:slug>/",
            views.ServiceReportView.as_view(),
            name="service_report",
        ),
    ]


class ServiceReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(reports_for(request.user))


@hooks.register("register_reports_menu_item")
def service_reports_menu_item():
    return ServiceReportsMenuItem(
        "Service figures", reverse("service_reports"), icon_name="table", order=100
    )
