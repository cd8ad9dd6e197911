from django.db import models


class ServiceReports(models.Model):
    """No table: it only carries the permission to see the service's reports, which data
    migrations grant to the Commissioner and Coordinator roles."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_reports", "Can view and export the service's reports")]

    def __str__(self):
        return "Service reports"
