from datetime import date

from programmes.schedule import topic_for_week, weekly_dates


def test_weekly_dates_skip_bank_holidays_and_keep_the_number_of_weeks():
    # Monday 5 May 2025 and Monday 26 May 2025 are bank holidays in England and Wales.
    dates = weekly_dates(date(2025, 4, 28), 6)
    assert date(2025, 5, 5) not in dates and date(2025, 5, 26) not in dates
    assert len(dates) == 6
    assert dates[0] == date(2025, 4, 28) and dates[-1] == date(2025, 6, 16)
    assert {d.weekday() for d in dates} == {0}


def test_topics_repeat_cycle_after_cycle():
    topics = ["a", "b", "c"]
    assert [topic_for_week(topics, week) for week in range(1, 8)] == list("abcabca")
    assert topic_for_week([], 3) == ""
