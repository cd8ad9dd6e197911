"""The service's localities, one list for every app, and staff assignments to them.

A `Locality` is an area the service works in (North, Central, South) or "Online" (its
`is_online` flag): drop-ins are held in the in-person ones, course sessions (and later
cohorts and shifts) in any. Their slugs are the values in public filter addresses
(`?locality=north`), so they are kept when a name changes.

A `StaffAssignment` gives one member of staff one locality, or one record of any kind (a
cohort, a shift, a session) through its optional generic target. What an assignment lets
someone see is decided by `portal.scope` and each app's `visible_to(user)` selector, never
here.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


class LocalityQuerySet(models.QuerySet):
    def in_person(self) -> LocalityQuerySet:
        return self.filter(is_online=False)


class Locality(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True, help_text="Used in filter web addresses")
    is_online = models.BooleanField(
        "online", default=False, help_text="For what is held online rather than at a venue"
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    objects = LocalityQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name_plural = "localities"

    def __str__(self) -> str:
        return self.name


class StaffAssignment(models.Model):
    """One member of staff assigned to one locality, or to one record (its target)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_assignments",
        limit_choices_to={"groups__isnull": False},
    )
    locality = models.ForeignKey(
        Locality,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="staff_assignments",
        help_text="Everything of their kind of work in this locality.",
    )
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(auto_now_add=True)

    panels = ["user", "locality"]

    class Meta:
        ordering = ["user__email", "locality__sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    (Q(locality__isnull=False) & Q(target_type__isnull=True))
                    | (
                        Q(locality__isnull=True)
                        & Q(target_type__isnull=False)
                        & Q(target_id__isnull=False)
                    )
                ),
                name="staff_assignment_locality_or_target",
                violation_error_message="Choose a locality.",
            ),
            models.UniqueConstraint(
                fields=["user", "locality"],
                condition=Q(locality__isnull=False),
                name="staff_assignment_one_per_locality",
                violation_error_message="They are already assigned to that locality.",
            ),
            models.UniqueConstraint(
                fields=["user", "target_type", "target_id"],
                condition=Q(target_type__isnull=False),
                name="staff_assignment_one_per_target",
            ),
        ]

    def __str__(self) -> str:
        where = self.locality.name if self.locality_id else f"{self.target_type} #{self.target_id}"
        return f"{self.user.get_full_name() or self.user.email}: {where}"

    def clean(self) -> None:
        super().clean()
        if self.locality_id is None and self.target_type_id is None:
            raise ValidationError({"locality": "Choose a locality."})
