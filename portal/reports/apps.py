from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "portal.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Each app's reports.py registers its reports (see portal.reports.registry).
        autodiscover_modules("reports")
