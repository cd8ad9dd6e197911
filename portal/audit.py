"""The audit trail: record who viewed or changed which sensitive record.

Call `record()` from the view or service that shows or changes the record, in the same
transaction as any change, so that a change is never saved without its audit row. Staff
views: `record_view()` for one record; `record_listing()` for a listing, report or export
of many (the mixins below do it for Wagtail's views).

On PostgreSQL the table refuses UPDATE, DELETE and TRUNCATE (portal migrations 0002, 0003),
but for one change: when a person's data is erased, `erase_detail()` replaces the detail of
the rows about their records with `ERASED_DETAIL` (portal migration 0010). Who acted, when,
how and on which record stays; record the erasure itself with `Action.ERASE` and a detail
that names no one.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction

from portal.models import AuditEvent

Action = AuditEvent.Action


def label_for(obj: models.Model) -> str:
    """A label with no personal data: the model's name and primary key."""
    return f"{obj._meta.verbose_name.capitalize()} #{obj.pk}"


def record(actor, action: str, obj: models.Model, **detail) -> AuditEvent:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_email=user.email if user else "",
        action=action,
        target_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        target_id=str(obj.pk),
        target_label=label_for(obj),
        detail=detail,
    )


ERASED_DETAIL = {"erased": True}


def erase_detail(obj: models.Model) -> int:
    """Blank the detail of every audit row about `obj`; returns how many rows changed."""
    rows = AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        target_id=str(obj.pk),
    ).exclude(detail=ERASED_DETAIL)
    postgresql = connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        if postgresql:
            cursor.execute("SET LOCAL portal.audit_erasure = 'on'")
        # The queryset refuses update(); this is the one write the trail allows.
        changed = models.QuerySet.update(rows, detail=ERASED_DETAIL)
        if postgresql:
            cursor.execute("SET LOCAL portal.audit_erasure = 'off'")
    return changed


def record_view(request, obj: models.Model, **detail) -> AuditEvent:
    return record(request.user, Action.VIEW, obj, path=request.path, **detail)


def trail_for(obj: models.Model):
    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        target_id=str(obj.pk),
    ).select_related("actor")


def record_listing(request, model: type[models.Model], *, export: str = "", **detail) -> AuditEvent:
    """A staff view of a listing or report of `model` records, or (`export` naming the
    format) its download: the target is the kind of record, not one of them."""
    user = request.user if getattr(request.user, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_email=user.email if user else "",
        action=Action.EXPORT if export else Action.VIEW,
        target_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        target_id="",
        target_label=f"{model._meta.verbose_name_plural.capitalize()} (list)",
        detail={"path": request.path, **({"format": export} if export else {}), **detail},
    )


class AuditedObjectViewMixin:
    """For a Wagtail view of one record (inspect, edit): showing it writes a view row."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if response.status_code == 200:
            record_view(request, self.object)
        return response


class AuditedListingMixin:
    """For a Wagtail listing or report (SpreadsheetExportMixin) of personal data: showing
    it writes a view row, downloading it an export row. `audit_model` is the kind of record;
    `audit_detail()` adds what identifies the listing (e.g. which report)."""

    audit_model: type[models.Model]

    def audit_detail(self) -> dict:
        return {}

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if response.status_code == 200:
            export = request.GET.get("export", "") if getattr(self, "is_export", False) else ""
            record_listing(request, self.audit_model, export=export, **self.audit_detail())
        return response
