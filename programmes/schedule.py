"""When a cohort meets: pure functions, tested directly."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from cms.hours import is_bank_holiday


def weekly_dates(
    start: date, weeks: int, *, skip: Callable[[date], bool] = is_bank_holiday
) -> list[date]:
    """`weeks` dates a week apart from `start`, on its weekday; a date `skip` refuses (an
    England and Wales bank holiday) moves the rest of the run on a week, so that every
    week is held."""
    dates: list[date] = []
    day = start
    while len(dates) < weeks:
        if not skip(day):
            dates.append(day)
        day += timedelta(weeks=1)
    return dates


def topic_for_week(topics: list[str], week: int) -> str:
    """A rolling programme's topics repeat, cycle after cycle (week 13 of 12 topics is the
    first again)."""
    return topics[(week - 1) % len(topics)] if topics else ""
