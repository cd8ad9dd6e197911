from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "portal.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self):
        from django.core import checks
        from django.utils.module_loading import autodiscover_modules

        from portal.reports.registry import check_permissions_are_declared

        checks.register(check_permissions_are_declared)

        # Each app's reports.py registers its reports (see portal.reports.registry).
        autodiscover_modules("reports")
