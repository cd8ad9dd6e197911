from django.db import models


class ServiceReports(models.Model):
    """No table: what the audit trail names when someone views or exports a report. Each
    report declares its own permission (`ServiceReport.permission`), on a model of its app."""

    class Meta:
        managed = False
        default_permissions = ()

    def __str__(self):
        return "Service reports"
