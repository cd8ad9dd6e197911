"""Completion rules: pure functions of a series' occurrences and one person's marks.

A series is what a person completes: a course session (a series of one), a programme's
twelve weeks, a volunteer's shifts in a role. Only occurrences held so far count: a cancelled
occurrence, or one that has not started, is neither attended nor missed. A source sets the
rule per series (`RegisterSource.completion_rule`): a share of the occurrences held
(`ShareOfOccurrences`, e.g. 75% of the weeks) or a set of topics to cover
(`TopicsCovered`, each occurrence covering some). The attendance service stores the result
(`SeriesCompletion`) whenever a mark changes; nothing else computes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class SeriesOccurrence:
    """One occurrence of a series as the rules see it."""

    pk: int
    starts_at: datetime
    cancelled: bool = False
    topics: frozenset[str] = frozenset()


@dataclass(frozen=True)
class AttendedMark:
    """One mark of the person's that counts as being there (present or late)."""

    occurrence_id: int
    duration: timedelta | None = None


class CompletionRule(Protocol):
    def met(self, held: list[SeriesOccurrence], attended: set[int]) -> bool:
        """Whether attending the `attended` ones of the occurrences `held` completes it."""


@dataclass(frozen=True)
class ShareOfOccurrences:
    """At least `share` (0 to 1) of the occurrences held so far attended."""

    share: Decimal = Decimal(1)

    def met(self, held: list[SeriesOccurrence], attended: set[int]) -> bool:
        if not held:
            return False
        came = sum(1 for occurrence in held if occurrence.pk in attended)
        return Decimal(came) / len(held) >= self.share


@dataclass(frozen=True)
class TopicsCovered:
    """Every one of `topics` covered by an occurrence attended (a missed week's topic may be
    covered at another occurrence of the same series)."""

    topics: frozenset[str]

    def met(self, held: list[SeriesOccurrence], attended: set[int]) -> bool:
        return bool(self.topics) and not self.left(held, attended)

    def left(self, held: list[SeriesOccurrence], attended: set[int]) -> frozenset[str]:
        """The topics not yet covered by an occurrence attended."""
        covered = set().union(*(o.topics for o in held if o.pk in attended))
        return self.topics - covered


@dataclass(frozen=True)
class Progress:
    attended: int
    held: int
    completed: bool
    duration: timedelta

    @property
    def share(self) -> Decimal:
        return Decimal(self.attended) / self.held if self.held else Decimal(0)


def evaluate(
    rule: CompletionRule,
    occurrences: Iterable[SeriesOccurrence],
    marks: Iterable[AttendedMark],
    now: datetime,
) -> Progress:
    """One person's progress through a series at `now`, from their attended marks."""
    held, counted = _held_and_counted(occurrences, marks, now)
    attended = {m.occurrence_id for m in counted}
    return Progress(
        attended=len(attended),
        held=len(held),
        completed=rule.met(held, attended),
        duration=sum((m.duration for m in counted if m.duration), timedelta()),
    )


def topics_left(
    rule: CompletionRule,
    occurrences: Iterable[SeriesOccurrence],
    marks: Iterable[AttendedMark],
    now: datetime,
) -> frozenset[str] | None:
    """The topics one person has yet to cover at `now` under a topics rule (None under any
    other rule), counting the same occurrences as `evaluate`."""
    if not isinstance(rule, TopicsCovered):
        return None
    held, counted = _held_and_counted(occurrences, marks, now)
    return rule.left(held, {m.occurrence_id for m in counted})


def _held_and_counted(
    occurrences: Iterable[SeriesOccurrence], marks: Iterable[AttendedMark], now: datetime
) -> tuple[list[SeriesOccurrence], list[AttendedMark]]:
    """The occurrences held so far (started, not cancelled) and the marks on them."""
    held = [o for o in occurrences if not o.cancelled and o.starts_at <= now]
    held_ids = {o.pk for o in held}
    return held, [m for m in marks if m.occurrence_id in held_ids]
