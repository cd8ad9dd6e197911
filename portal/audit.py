"""The audit trail: record who viewed or changed which sensitive record.

Call `record()` from the view or service that shows or changes the record, in the same
transaction as any change, so that a change is never saved without its audit row.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models

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


def record_view(request, obj: models.Model, **detail) -> AuditEvent:
    return record(request.user, Action.VIEW, obj, path=request.path, **detail)


def trail_for(obj: models.Model):
    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        target_id=str(obj.pk),
    ).select_related("actor")
