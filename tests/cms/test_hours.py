"""The helpline's "open now": weekly hours in London time, bank holidays, closure dates, DST."""

from datetime import UTC, date, datetime, time

import pytest
from django.db import IntegrityError

from cms.hours import LONDON, format_time, is_bank_holiday, status_at
from cms.models import HelplineSettings

WEEKDAYS_8_TO_6 = {day: (time(8), time(18)) for day in range(5)}


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def text_at(now, hours=None, closed=()) -> str:
    return status_at(now, WEEKDAYS_8_TO_6 if hours is None else hours, set(closed)).text


def test_open_on_a_weekday_afternoon_until_six():
    status = status_at(london(2026, 11, 27, 17, 0), WEEKDAYS_8_TO_6, set())
    assert status.is_open
    assert status.text == "Open now, until 6pm"
    assert status.changes_at == london(2026, 11, 27, 18, 0)


def test_after_six_on_a_friday_it_opens_at_eight_on_monday():
    assert text_at(london(2026, 11, 27, 18, 30)) == "Closed now, opens 8am Monday"


def test_six_oclock_exactly_is_closed():
    assert not status_at(london(2026, 11, 27, 18, 0), WEEKDAYS_8_TO_6, set()).is_open


def test_before_opening_it_opens_today_and_late_evening_tomorrow():
    assert text_at(london(2026, 11, 23, 7, 59)) == "Closed now, opens 8am today"
    assert text_at(london(2026, 11, 23, 20, 0)) == "Closed now, opens 8am tomorrow"


def test_at_the_weekend_it_opens_monday():
    assert text_at(london(2026, 11, 28, 12, 0)) == "Closed now, opens 8am Monday"
    assert text_at(london(2026, 11, 29, 12, 0)) == "Closed now, opens 8am tomorrow"


def test_closed_over_the_easter_bank_holidays():
    assert is_bank_holiday(date(2026, 4, 3)) and is_bank_holiday(date(2026, 4, 6))
    assert text_at(london(2026, 4, 2, 19, 0)) == "Closed now, opens 8am Tuesday"
    assert text_at(london(2026, 4, 3, 10, 0)) == "Closed now, opens 8am Tuesday"


def test_closed_on_the_substitute_boxing_day():
    # 26 December 2026 is a Saturday, so Monday 28 December is the bank holiday.
    assert is_bank_holiday(date(2026, 12, 28))
    assert text_at(london(2026, 12, 24, 19, 0)) == "Closed now, opens 8am Tuesday"


def test_scottish_only_bank_holidays_do_not_close_it():
    # 2 January is a bank holiday in Scotland, not in England and Wales.
    assert not is_bank_holiday(date(2026, 1, 2))
    assert text_at(london(2026, 1, 2, 9, 0)) == "Open now, until 6pm"


def test_extra_closure_dates_close_it():
    wednesday = date(2026, 11, 25)
    assert text_at(london(2026, 11, 25, 10, 0), closed=[wednesday]) == (
        "Closed now, opens 8am tomorrow"
    )
    assert text_at(london(2026, 11, 24, 19, 0), closed=[wednesday]) == (
        "Closed now, opens 8am Thursday"
    )


def test_a_long_closure_names_the_date():
    closed = [date(2026, 8, day) for day in range(1, 21)]
    assert text_at(london(2026, 7, 31, 19, 0), closed=closed) == (
        "Closed now, opens 8am Friday 21 August"
    )


def test_spring_forward_eight_means_eight_in_summer_time():
    # Friday 27 March 2026, 07:30 UTC is 07:30 GMT: not yet open.
    before = status_at(utc(2026, 3, 27, 7, 30), WEEKDAYS_8_TO_6, set())
    assert before.text == "Closed now, opens 8am today"
    assert before.changes_at == utc(2026, 3, 27, 8, 0)
    # Monday 30 March 2026, after the clocks went forward: 07:30 UTC is 08:30 BST.
    after = status_at(utc(2026, 3, 30, 7, 30), WEEKDAYS_8_TO_6, set())
    assert after.text == "Open now, until 6pm"
    assert after.changes_at == utc(2026, 3, 30, 17, 0)


def test_fall_back_eight_means_eight_in_winter_time():
    # Friday 23 October 2026, 07:30 UTC is 08:30 BST: open.
    assert text_at(utc(2026, 10, 23, 7, 30)) == "Open now, until 6pm"
    # Monday 26 October 2026, 07:30 UTC is 07:30 GMT: not yet.
    status = status_at(utc(2026, 10, 26, 7, 30), WEEKDAYS_8_TO_6, set())
    assert status.text == "Closed now, opens 8am today"
    assert status.changes_at == utc(2026, 10, 26, 8, 0)


def test_on_the_day_the_clocks_change():
    sundays_too = {**WEEKDAYS_8_TO_6, 6: (time(10), time(14))}
    # Sunday 29 March 2026: 09:30 UTC is 10:30 BST, open until 2pm (13:00 UTC).
    status = status_at(utc(2026, 3, 29, 9, 30), sundays_too, set())
    assert status.text == "Open now, until 2pm"
    assert status.changes_at == utc(2026, 3, 29, 13, 0)
    # Saturday evening before: it opens at 10am BST, which is 09:00 UTC.
    status = status_at(utc(2026, 3, 28, 20, 0), sundays_too, set())
    assert status.text == "Closed now, opens 10am tomorrow"
    assert status.changes_at == utc(2026, 3, 29, 9, 0)
    # Sunday 25 October 2026, clocks back: 10:30 UTC is 10:30 GMT, open until 2pm GMT.
    status = status_at(utc(2026, 10, 25, 10, 30), sundays_too, set())
    assert status.is_open and status.changes_at == utc(2026, 10, 25, 14, 0)


def test_never_open_says_only_closed():
    status = status_at(london(2026, 11, 27, 12, 0), {}, set())
    assert status.text == "Closed now"
    assert status.seconds_until_change() is None


def test_times_read_the_gov_uk_way():
    assert [format_time(t) for t in (time(8), time(17, 30), time(12), time(0))] == [
        "8am",
        "5:30pm",
        "midday",
        "midnight",
    ]


@pytest.mark.django_db
def test_settings_default_to_weekdays_eight_to_six(home_page):
    helpline = HelplineSettings.objects.get()
    assert helpline.weekly_hours() == WEEKDAYS_8_TO_6


@pytest.mark.django_db
def test_a_day_cannot_close_before_it_opens(home_page):
    helpline = HelplineSettings.objects.get()
    helpline.monday_closes = time(7)
    with pytest.raises(IntegrityError):
        helpline.save()


@pytest.mark.django_db
def test_every_page_gives_the_emergency_number_editors_set(client, home_page):
    helpline = HelplineSettings.objects.get()
    helpline.emergency_number = "112"
    helpline.save()
    html = client.get("/").content.decode()
    banner = html.split('class="govuk-phase-banner__text"', 1)[1].split("</span>", 1)[0]
    assert "call 112." in banner and "999" not in banner
