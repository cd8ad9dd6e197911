"""Get help now and the helpline's hours: site settings editors change in the admin."""

from datetime import date, datetime, time

from django.db import models
from django.db.models import Q
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from cms import hours

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
OPENS = time(8, 0)
CLOSES = time(18, 0)


def _hours_constraints() -> list:
    constraints = []
    for day in WEEKDAYS:
        opens, closes = f"{day}_opens", f"{day}_closes"
        both_blank = Q(**{f"{opens}__isnull": True, f"{closes}__isnull": True})
        ordered = Q(**{f"{closes}__gt": models.F(opens)})
        constraints.append(
            models.CheckConstraint(
                condition=both_blank | ordered,
                name=f"helpline_{day}_closes_after_opens",
                violation_error_message=f"On {day.title()}, enter both times with closing "
                "after opening, or leave both blank for closed.",
            )
        )
    return constraints


@register_setting(icon="help")
class HelplineSettings(ClusterableModel, BaseSiteSetting):
    emergency_number = models.CharField(max_length=20, default="999")
    silent_solution_code = models.CharField(
        max_length=10,
        default="55",
        help_text="What to press on a mobile after calling 999 when it is not safe to speak.",
    )
    helpline_name = models.CharField(max_length=120, default="Our helpline")
    helpline_number = models.CharField(max_length=40, blank=True)
    national_helpline_name = models.CharField(
        max_length=120, default="National Domestic Abuse Helpline"
    )
    national_helpline_number = models.CharField(max_length=40, default="0808 2000 247")
    national_helpline_hours = models.CharField(max_length=60, default="24 hours, every day")
    # Wall-clock times in London; a day with both blank is closed.
    monday_opens = models.TimeField(null=True, blank=True, default=OPENS)
    monday_closes = models.TimeField(null=True, blank=True, default=CLOSES)
    tuesday_opens = models.TimeField(null=True, blank=True, default=OPENS)
    tuesday_closes = models.TimeField(null=True, blank=True, default=CLOSES)
    wednesday_opens = models.TimeField(null=True, blank=True, default=OPENS)
    wednesday_closes = models.TimeField(null=True, blank=True, default=CLOSES)
    thursday_opens = models.TimeField(null=True, blank=True, default=OPENS)
    thursday_closes = models.TimeField(null=True, blank=True, default=CLOSES)
    friday_opens = models.TimeField(null=True, blank=True, default=OPENS)
    friday_closes = models.TimeField(null=True, blank=True, default=CLOSES)
    saturday_opens = models.TimeField(null=True, blank=True, default=None)
    saturday_closes = models.TimeField(null=True, blank=True, default=None)
    sunday_opens = models.TimeField(null=True, blank=True, default=None)
    sunday_closes = models.TimeField(null=True, blank=True, default=None)

    panels = [
        MultiFieldPanel(["emergency_number", "silent_solution_code"], heading="Emergency"),
        MultiFieldPanel(["helpline_name", "helpline_number"], heading="Our helpline"),
        MultiFieldPanel(
            [
                FieldRowPanel([f"{day}_opens", f"{day}_closes"], heading=day.title())
                for day in WEEKDAYS
            ],
            heading="Our helpline's hours (UK time; leave a day blank when closed)",
            help_text="Closed on bank holidays in England and Wales without you adding them.",
        ),
        InlinePanel("closures", heading="Other days the helpline is closed", label="Closure"),
        MultiFieldPanel(
            ["national_helpline_name", "national_helpline_number", "national_helpline_hours"],
            heading="National helpline (for outside our hours)",
        ),
    ]

    class Meta:
        verbose_name = "helpline and get help now"
        constraints = _hours_constraints()

    def weekly_hours(self) -> dict[int, tuple[time, time]]:
        weekly = {}
        for number, day in enumerate(WEEKDAYS):
            opens, closes = getattr(self, f"{day}_opens"), getattr(self, f"{day}_closes")
            if opens and closes:
                weekly[number] = (opens, closes)
        return weekly

    def status_at(self, now: datetime, closed_dates: set[date]) -> hours.HelplineStatus:
        return hours.status_at(now, self.weekly_hours(), closed_dates)


class HelplineClosure(models.Model):
    setting = ParentalKey(HelplineSettings, on_delete=models.CASCADE, related_name="closures")
    date = models.DateField()
    reason = models.CharField(max_length=120, blank=True, help_text="For staff, not shown")

    panels = ["date", "reason"]

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["setting", "date"], name="helpline_closure_once"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d %B %Y}"
