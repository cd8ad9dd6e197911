"""The completion rules as pure functions: no database, no clock but the one given."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from portal.attendance.completion import (
    AttendedMark,
    SeriesOccurrence,
    ShareOfOccurrences,
    TopicsCovered,
    evaluate,
    topics_left,
)

NOW = datetime(2026, 3, 2, 12, 0)
WEEKS = [SeriesOccurrence(pk=n, starts_at=NOW - timedelta(weeks=5 - n)) for n in range(1, 5)]


@pytest.mark.parametrize(("attended", "completed"), [(3, True), (2, False), (4, True)])
def test_a_share_rule_like_three_quarters_of_the_weeks(attended, completed):
    rule = ShareOfOccurrences(Decimal("0.75"))
    assert rule.met(WEEKS, {week.pk for week in WEEKS[:attended]}) is completed
    assert not rule.met([], set())


def test_cancelled_and_future_occurrences_are_neither_attended_nor_missed():
    weeks = [
        SeriesOccurrence(1, NOW - timedelta(weeks=3)),
        SeriesOccurrence(2, NOW - timedelta(weeks=2), cancelled=True),
        SeriesOccurrence(3, NOW - timedelta(weeks=1)),
        SeriesOccurrence(4, NOW + timedelta(weeks=1)),
    ]
    marks = [AttendedMark(1, timedelta(hours=2)), AttendedMark(2), AttendedMark(3)]
    progress = evaluate(ShareOfOccurrences(Decimal("0.75")), weeks, marks, NOW)
    assert (progress.attended, progress.held, progress.completed) == (2, 2, True)
    assert progress.share == 1
    assert progress.duration == timedelta(hours=2)
    # Missing one of the two weeks held is half: short of three quarters.
    progress = evaluate(ShareOfOccurrences(Decimal("0.75")), weeks, marks[:1], NOW)
    assert (progress.attended, progress.held, progress.completed) == (1, 2, False)
    # A week that has started counts as held.
    assert evaluate(ShareOfOccurrences(), weeks, [], weeks[3].starts_at).held == 3


def test_a_topics_rule_is_met_when_every_topic_is_covered_at_an_occurrence_attended():
    weeks = [
        SeriesOccurrence(1, NOW - timedelta(weeks=3), topics=frozenset({"safety"})),
        SeriesOccurrence(2, NOW - timedelta(weeks=2), cancelled=True, topics={"rights"}),
        SeriesOccurrence(3, NOW - timedelta(weeks=1), topics=frozenset({"rights", "trust"})),
        SeriesOccurrence(4, NOW + timedelta(weeks=1), topics=frozenset({"future"})),
    ]
    rule = TopicsCovered(frozenset({"safety", "rights"}))
    both = [AttendedMark(1), AttendedMark(3)]
    assert evaluate(rule, weeks, both, NOW).completed
    # "rights" was also on the cancelled week: only week 3 covers it.
    assert not evaluate(rule, weeks, [AttendedMark(1), AttendedMark(2)], NOW).completed
    assert not evaluate(TopicsCovered(frozenset()), weeks, both, NOW).completed
    assert not evaluate(TopicsCovered(frozenset({"future"})), weeks, both, NOW).completed


def test_the_topics_left_are_those_no_occurrence_attended_so_far_covered():
    weeks = [
        SeriesOccurrence(1, NOW - timedelta(weeks=2), topics=frozenset({"safety"})),
        SeriesOccurrence(2, NOW - timedelta(weeks=1), cancelled=True, topics={"rights"}),
        SeriesOccurrence(3, NOW + timedelta(weeks=1), topics=frozenset({"trust"})),
    ]
    rule = TopicsCovered(frozenset({"safety", "rights", "trust"}))
    marks = [AttendedMark(1), AttendedMark(2), AttendedMark(3)]
    assert topics_left(rule, weeks, marks, NOW) == {"rights", "trust"}
    assert topics_left(rule, weeks, [], NOW) == rule.topics
    assert topics_left(ShareOfOccurrences(), weeks, marks, NOW) is None
