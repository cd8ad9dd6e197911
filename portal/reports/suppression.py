"""Small-number suppression: the one rule for every report's figures, on screen and in
every export (pure functions, no database).

- A count of 0 is shown: it names no one (ONS and NHS practice for counts like these).
- A count from 1 to 4 is shown as "fewer than 5" (primary suppression).
- Where a table shows a total, a hidden count could be worked out by subtracting the
  others from it. So in every group of cells that add up (a row and its total, a column and
  its total) a hidden cell never stands alone: another is hidden with it, shown as "hidden"
  (secondary suppression). The one chosen is the smallest count above 0 in the group,
  then the group's total, then a 0 when nothing else is left (a 0 hidden beside a small
  count protects nothing: the two add up to the small count).
- Nor may the hidden cells of a group add up to 1 to 4 where the total is shown: two
  hidden 1s next to a total would each be known to be 1.
- A figure worked out from counts (a rate, an average, money for a number of places) is
  "hidden" whenever any count it is worked out from is hidden.

Hiding goes on until no group needs more, so a cell hidden for its row is then protected
in its column too (and the cells hidden for that, in their rows). Then the groups' sums are
solved together (exact linear algebra over the hidden cells): where rows and columns
between them still pin a hidden cell down, another beside it is hidden, and so on.

Reports declare their figures with `Figures` (see `portal.reports.registry`); the view
passes every row through `Figures.apply` before the screen or an export sees it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

THRESHOLD = 5


@dataclass(frozen=True)
class Hidden:
    """A display cell standing in for a figure that is not shown."""

    small: bool  # the count is from 1 to 4; otherwise hidden so that one cannot be worked out

    def __str__(self) -> str:
        return f"fewer than {THRESHOLD}" if self.small else "hidden"


FEWER_THAN_5 = Hidden(small=True)
HIDDEN = Hidden(small=False)

Key = Hashable
# (total, parts): the cell `total` is the sum of the cells `parts`.
Group = tuple[Key, Sequence[Key]]


def is_small(count: int) -> bool:
    return 0 < count < THRESHOLD


def suppress(counts: Mapping[Key, int], groups: Iterable[Group] = ()) -> dict[Key, int | Hidden]:
    """Each count as it may be shown: itself, FEWER_THAN_5 or HIDDEN."""
    groups = list(groups)
    hidden: dict[Key, Hidden] = {key: FEWER_THAN_5 for key, n in counts.items() if is_small(n)}
    while True:
        _give_every_hidden_cell_company(counts, hidden, groups)
        # Two hidden cells in every line can still be pinned down by the lines together (a
        # row's pair and a column's pair sharing cells): solve for them, and where one is
        # determined, hide another beside it.
        partner = next(
            (
                partner
                for key in _determined(hidden, groups)
                for total, parts in groups
                if key == total or key in parts
                if (partner := _partner(counts, hidden, total, parts)) is not None
            ),
            None,
        )
        if partner is None:
            return {key: hidden.get(key, n) for key, n in counts.items()}
        hidden[partner] = HIDDEN


def _give_every_hidden_cell_company(counts, hidden, groups) -> None:
    more_needed = True
    while more_needed:
        more_needed = False
        for total, parts in groups:
            if _exposed(counts, hidden, total, parts):
                partner = _partner(counts, hidden, total, parts)
                if partner is not None:
                    hidden[partner] = HIDDEN
                    more_needed = True


def _determined(hidden, groups) -> list[Key]:
    """The hidden cells that the groups' sums determine exactly. Each group is an equation
    over its hidden cells (parts - total = what is shown); a cell is determined when the
    reduced row echelon form of the equations has a row naming it alone."""
    equations: list[dict[Key, Fraction]] = []
    for total, parts in groups:
        equation: dict[Key, Fraction] = {}
        for key in parts:
            if key in hidden:
                equation[key] = equation.get(key, Fraction(0)) + 1
        if total in hidden:
            equation[total] = equation.get(total, Fraction(0)) - 1
        equation = {key: value for key, value in equation.items() if value}
        if equation:
            equations.append(equation)
    reduced: list[dict[Key, Fraction]] = []  # sparse rows, each with its own pivot
    pivots: list[Key] = []
    for equation in equations:
        for pivot, row in zip(pivots, reduced, strict=True):
            if pivot in equation:
                factor = equation[pivot]
                for key, value in row.items():
                    equation[key] = equation.get(key, Fraction(0)) - factor * value
                equation = {key: value for key, value in equation.items() if value}
        if not equation:
            continue
        pivot = next(iter(equation))
        lead = equation[pivot]
        equation = {key: value / lead for key, value in equation.items()}
        for i, row in enumerate(reduced):
            if pivot in row:
                factor = row[pivot]
                merged = dict(row)
                for key, value in equation.items():
                    merged[key] = merged.get(key, Fraction(0)) - factor * value
                reduced[i] = {key: value for key, value in merged.items() if value}
        reduced.append(equation)
        pivots.append(pivot)
    return [pivot for pivot, row in zip(pivots, reduced, strict=True) if len(row) == 1]


def _exposed(counts, hidden, total, parts) -> bool:
    """Whether a hidden cell of this group could be worked out, or narrowed to 1 to 4."""
    unknown = [key for key in (total, *parts) if key in hidden]
    if not unknown:
        return False
    if len(unknown) == 1:
        return True
    return total not in hidden and is_small(sum(counts[key] for key in unknown))


def _partner(counts, hidden, total, parts) -> Key | None:
    shown = [key for key in parts if key not in hidden]
    above_zero = [key for key in shown if counts[key] > 0]
    if above_zero:
        return min(above_zero, key=lambda key: counts[key])
    if total not in hidden:
        return total
    return shown[0] if shown else None


def suppress_table(
    table: Sequence[Sequence[int]], *, row_totals: bool = False, column_totals: bool = False
) -> list[list[int | Hidden]]:
    """A rows × columns table of counts, as it may be shown. With `row_totals` the last
    column is each row's total; with `column_totals` the last row is each column's."""
    counts = {(r, c): n for r, row in enumerate(table) for c, n in enumerate(row)}
    height, width = len(table), len(table[0]) if table else 0
    groups: list[Group] = []
    if row_totals:
        groups += [((r, width - 1), [(r, c) for c in range(width - 1)]) for r in range(height)]
    if column_totals:
        groups += [((height - 1, c), [(r, c) for r in range(height - 1)]) for c in range(width)]
    shown = suppress(counts, groups)
    return [[shown[(r, c)] for c in range(width)] for r in range(height)]


@dataclass(frozen=True)
class Figures:
    """What a report's rows hold, for suppression: which values count people, which of
    them are a row's total of others, which values are worked out from counts, and which
    columns the last row totals over the rows above it. Values not named are shown as they
    are (names, dates, counts of sessions rather than of people)."""

    counts: tuple[str, ...]
    # In every row: total key -> the keys it adds up.
    row_totals: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # More ways a row's total splits, as (total key, the keys it adds up): the same total
    # by route and by risk level, say.
    more_row_totals: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # key -> the counts it is worked out from (hidden whenever one of them is).
    derived: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # The counts the last row totals (a count of different people is not a sum: leave it out).
    column_totals: tuple[str, ...] = ()
    # With a key here, rows sharing its value (one after another) are a table of their own
    # and the last of each such run totals it: one question's answers and their total.
    column_totals_per: str = ""

    def apply(self, rows: Sequence[Mapping]) -> list[dict]:
        """The rows as they may be shown (and exported): copies, counts suppressed."""
        counts = {(i, key): row[key] for i, row in enumerate(rows) for key in self.counts}
        groups: list[Group] = [
            ((i, total), [(i, part) for part in parts])
            for i in range(len(rows))
            for total, parts in [*self.row_totals.items(), *self.more_row_totals]
        ]
        if self.column_totals:
            for run in self._runs(rows):
                *parts, last = run
                groups += [((last, key), [(i, key) for i in parts]) for key in self.column_totals]
        shown = suppress(counts, groups)
        result = []
        for i, row in enumerate(rows):
            cells = {**row, **{key: shown[(i, key)] for key in self.counts}}
            for key, inputs in self.derived.items():
                if any(isinstance(cells[source], Hidden) for source in inputs):
                    cells[key] = HIDDEN
            result.append(cells)
        return result

    def _runs(self, rows: Sequence[Mapping]) -> list[list[int]]:
        """The row indexes of each table the column totals close (all rows, or each run)."""
        runs: list[list[int]] = []
        for i, row in enumerate(rows):
            if runs and (
                not self.column_totals_per
                or rows[runs[-1][-1]][self.column_totals_per] == row[self.column_totals_per]
            ):
                runs[-1].append(i)
            else:
                runs.append([i])
        return runs
