"""When the helpline is open: weekly hours in Europe/London, closed on bank holidays for England
and Wales (from the `holidays` library) and on dates editors add. Pure functions of `now`."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")
# How far ahead to look for the next opening before saying only "Closed now".
LOOKAHEAD_DAYS = 60

# Monday is 0, as date.weekday() counts.
WeeklyHours = Mapping[int, tuple[time, time]]


@lru_cache(maxsize=16)
def _bank_holidays(year: int) -> frozenset[date]:
    # Wales shares England's bank holidays; Scotland and Northern Ireland do not.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_bank_holiday(day: date) -> bool:
    return day in _bank_holidays(day.year)


def format_time(value: time) -> str:
    """GOV.UK style: 8am, 5:30pm, midday, midnight."""
    if value == time(12, 0):
        return "midday"
    if value == time(0, 0):
        return "midnight"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def format_day(day: date, today: date) -> str:
    if day == today:
        return "today"
    if day == today + timedelta(days=1):
        return "tomorrow"
    if day < today + timedelta(days=7):
        return f"{day:%A}"
    return f"{day:%A} {day.day} {day:%B}"


@dataclass(frozen=True)
class HelplineStatus:
    now: datetime
    is_open: bool
    # While open: when it closes. While closed: when it next opens (None if not in sight).
    changes_at: datetime | None

    @property
    def text(self) -> str:
        today = self.now.astimezone(LONDON).date()
        if self.is_open:
            closes = self.changes_at.astimezone(LONDON)
            return f"Open now, until {format_time(closes.time())}"
        if self.changes_at is None:
            return "Closed now"
        opens = self.changes_at.astimezone(LONDON)
        return f"Closed now, opens {format_time(opens.time())} {format_day(opens.date(), today)}"

    def seconds_until_change(self) -> int | None:
        if self.changes_at is None:
            return None
        return max(0, int((self.changes_at - self.now).total_seconds()))


def is_open_on(day: date, hours: WeeklyHours, closed_dates: Collection[date]) -> bool:
    return day.weekday() in hours and day not in closed_dates and not is_bank_holiday(day)


def status_at(now: datetime, hours: WeeklyHours, closed_dates: Collection[date]) -> HelplineStatus:
    """Open or closed at `now` (an aware datetime), and when that next changes.

    Hours are wall-clock times in London, so 08:00 means 08:00 GMT in winter and 08:00 BST
    in summer: each day's times are combined with the zone for that date.
    """
    local = now.astimezone(LONDON)
    today = local.date()
    if is_open_on(today, hours, closed_dates):
        opens, closes = hours[today.weekday()]
        if opens <= local.time() < closes:
            return HelplineStatus(now, True, datetime.combine(today, closes, tzinfo=LONDON))
    for offset in range(LOOKAHEAD_DAYS):
        day = today + timedelta(days=offset)
        if not is_open_on(day, hours, closed_dates):
            continue
        opens_at = datetime.combine(day, hours[day.weekday()][0], tzinfo=LONDON)
        if opens_at > local:
            return HelplineStatus(now, False, opens_at)
    return HelplineStatus(now, False, None)
