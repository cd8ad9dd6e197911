from django.conf import settings
from django.db import models


class Circle(models.Model):
    """A group people belong to for a while (like a cohort)."""

    title = models.CharField(max_length=80)
    locality = models.ForeignKey("portal.Locality", on_delete=models.PROTECT, related_name="+")

    def __str__(self):
        return self.title


class Member(models.Model):
    """The subject of outcome responses (like an enrolment)."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=80)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Completed or left: the end questions may be answered.
    ended = models.BooleanField(default=False)

    def __str__(self):
        return self.name
