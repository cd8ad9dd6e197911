"""The dates a drop-in meets: weekly, fortnightly or on the nth weekday of each month."""

import calendar
from collections.abc import Iterator
from datetime import date, timedelta

from django.db import models


class Frequency(models.TextChoices):
    WEEKLY = "weekly", "Every week"
    FORTNIGHTLY = "fortnightly", "Every other week"
    MONTHLY = "monthly", "Once a month"


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, "First"
    SECOND = 2, "Second"
    THIRD = 3, "Third"
    FOURTH = 4, "Fourth"
    LAST = -1, "Last"


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    """The nth (1-4, or -1 for last) given weekday of a month."""
    days = [
        day
        for day in calendar.Calendar().itermonthdates(year, month)
        if day.month == month and day.weekday() == weekday
    ]
    if nth == -1:
        return days[-1]
    return days[nth - 1] if nth <= len(days) else None


def rule_dates(
    *,
    frequency: str,
    weekday: int,
    week_of_month: int | None,
    starts_on: date,
    ends_on: date | None,
    start: date,
    end: date,
) -> Iterator[date]:
    """Every date the rule gives from `start` to `end` inclusive, in order, before exclusions."""
    first = max(start, starts_on)
    last = min(end, ends_on) if ends_on else end
    if first > last:
        return
    if frequency == Frequency.MONTHLY:
        year, month = first.year, first.month
        while date(year, month, 1) <= last:
            day = nth_weekday(year, month, weekday, week_of_month or 1)
            if day and first <= day <= last:
                yield day
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return
    step = 14 if frequency == Frequency.FORTNIGHTLY else 7
    # Count from starts_on so that fortnightly sessions keep to their own weeks.
    anchor = starts_on + timedelta(days=(weekday - starts_on.weekday()) % 7)
    if first > anchor:
        anchor += timedelta(days=-(-(first - anchor).days // step) * step)
    day = anchor
    while day <= last:
        yield day
        day += timedelta(days=step)
