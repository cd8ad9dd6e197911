from decimal import Decimal

from django.conf import settings
from django.db import models


class Group(models.Model):
    """The series: what a member completes."""

    title = models.CharField(max_length=80)
    share = models.DecimalField(max_digits=3, decimal_places=2, default=Decimal("0.75"))
    # Comma-separated: when set, completing means covering every one of these topics.
    required_topics = models.CharField(max_length=200, blank=True)
    leaders = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")

    def __str__(self):
        return self.title


class Meeting(models.Model):
    """The occurrence: one week of the group."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    cancelled = models.BooleanField(default=False)
    topics = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self):
        return f"{self.group}, {self.starts_at:%Y-%m-%d}"


class Member(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=80)
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        return self.name
