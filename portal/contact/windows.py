"""When a person may be contacted: their safe days and time windows, in Europe/London.

Pure functions, so the rule is tested directly. `days` are weekday numbers (0 = Monday);
`windows` are ["HH:MM", "HH:MM"] pairs, each ending after it starts on the same day. No days
means every day; no windows means the whole of a safe day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
# Plans whose safe times never meet (two owners of one address) are given up on after this.
MAX_ROUNDS = 50


def parse_time(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def next_safe_time(days: Sequence[int], windows: Sequence[Sequence[str]], at: datetime) -> datetime:
    """The first moment at or after `at` inside a safe window (`at` itself if it is)."""
    if not days and not windows:
        return at
    spans = sorted((parse_time(start), parse_time(end)) for start, end in windows) or [
        (time.min, None)
    ]
    today = at.astimezone(LONDON).date()
    for offset in range(8):
        day = today + timedelta(days=offset)
        if days and day.weekday() not in days:
            continue
        for start, end in spans:
            opens = datetime.combine(day, start, LONDON)
            closes = (
                datetime.combine(day, end, LONDON)
                if end
                else datetime.combine(day + timedelta(days=1), time.min, LONDON)
            )
            if at < closes:
                return max(at, opens)
    raise ValueError("No safe day in the plan.")


def common_safe_time(schedules: Iterable[tuple], at: datetime) -> datetime | None:
    """The first moment at or after `at` that is safe for every (days, windows) schedule, or
    None when they never meet."""
    schedules = list(schedules)
    moment = at
    for _ in range(MAX_ROUNDS):
        start = moment
        for days, windows in schedules:
            moment = next_safe_time(days, windows, moment)
        if moment == start:
            return moment
    return None
