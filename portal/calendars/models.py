"""The secret in a person's private calendar feed address (see portal.calendars.feeds)."""

import secrets

from django.conf import settings
from django.db import models


class CalendarFeedToken(models.Model):
    """One per person; replacing the token revokes the old address. Moved here from courses
    (portal migration 0009 copied every token, so subscribed addresses keep working)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Calendar feed of {self.user_id}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)
