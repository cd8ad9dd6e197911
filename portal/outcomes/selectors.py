"""Reads of outcome responses: one subject's (for its screens and subject access), and
change in aggregate for reports (never a person's figures)."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models

from portal.outcomes.measures import Measure, measure
from portal.outcomes.models import Occasion, Response
from portal.outcomes.registry import OutcomeSubject, subject_for
from portal.reports.registry import Percent
from portal.reports.suppression import Figures

ALL_GROUPS = "All"


def responses_of(subject: models.Model) -> dict[tuple[str, str], Response]:
    """(measure key, occasion) -> the response."""
    rows = Response.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    )
    return {(r.measure, r.occasion): r for r in rows}


def subject_access(subject: models.Model) -> list[dict]:
    """What the person answered, in words, for their subject-access download."""
    result = []
    for (key, occasion), response in sorted(responses_of(subject).items()):
        definition = measure(key)
        labels = dict(definition.choices) | {0: "Prefer not to answer"}
        values = response.answer_values
        result.append(
            {
                "measure": definition.title,
                "occasion": Occasion(occasion).label,
                "answered_on": response.answered_on.isoformat(),
                "entered_by": response.get_entered_by_display(),
                "answers": {
                    item.text: labels[values[item.key]]
                    for item in definition.items
                    if item.key in values
                },
                "score": None if response.score is None else str(response.score),
            }
        )
    return result


def change_columns(source: OutcomeSubject, measure_key: str) -> list[tuple[str, str]]:
    """The columns of `change_by_group` rows, for a report."""
    definition = measure(measure_key)
    score = "metric score" if measure_key == "swemwbs" else "score"
    return [
        *source.group_columns,
        ("people", "People who answered at the start and the end"),
        ("mean_start", f"Mean {score} at the start"),
        ("mean_end", f"Mean {score} at the end"),
        ("mean_change", "Mean change"),
        ("improved", f"Improved by {definition.meaningful_change} or more"),
        ("not_improved", "Did not"),
        ("improved_share", "Share improved"),
    ]


# People are counted; improved and not improved add up to people in each row; the last row
# ("All") totals the groups; means and the share are worked out from the counts.
CHANGE_FIGURES = Figures(
    counts=("people", "improved", "not_improved"),
    row_totals={"people": ("improved", "not_improved")},
    column_totals=("people", "improved", "not_improved"),
    derived={
        "mean_start": ("people",),
        "mean_end": ("people",),
        "mean_change": ("people",),
        "improved_share": ("improved", "people"),
    },
)


def change_by_group(subjects: models.QuerySet, measure_key: str) -> list[dict]:
    """Per group of `subjects` (the app's `groups()`), then a last row for them all: how many
    people have a score at both the start and the end of `measure_key`, their mean scores
    and change, and how many improved by at least the measure's meaningful change. Raw
    counts: pass them through `CHANGE_FIGURES.apply` (a `ServiceReport` with
    `figures=CHANGE_FIGURES` does) before anyone sees them. Two queries and the app's."""
    definition = measure(measure_key)
    source = subject_for(subjects.model)
    group_of = source.groups(subjects)
    scores: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for response in Response.objects.filter(
        subject_type=source.subject_type(),
        subject_id__in=list(group_of),
        measure=measure_key,
    ):
        if (score := response.score) is not None:
            scores[response.subject_id][response.occasion] = score
    pairs: dict[tuple, list[tuple[Decimal, Decimal]]] = defaultdict(list)
    for subject_id, group in group_of.items():
        both = scores.get(subject_id, {})
        if Occasion.START in both and Occasion.END in both:
            pairs[group].append((both[Occasion.START], both[Occasion.END]))
    names = [key for key, _ in source.group_columns]
    rows = [
        {**dict(zip(names, group, strict=True)), **_change(pairs[group], definition)}
        for group in sorted(set(group_of.values()))
    ]
    everyone = [pair for group in pairs.values() for pair in group]
    total_group = [ALL_GROUPS, *[""] * (len(names) - 1)] if names else []
    rows.append({**dict(zip(names, total_group, strict=True)), **_change(everyone, definition)})
    return rows


def _change(pairs: list[tuple[Decimal, Decimal]], definition: Measure) -> dict:
    people = len(pairs)
    improved = sum(1 for start, end in pairs if end - start >= definition.meaningful_change)
    return {
        "people": people,
        "mean_start": _mean([start for start, _ in pairs]),
        "mean_end": _mean([end for _, end in pairs]),
        "mean_change": _mean([end - start for start, end in pairs]),
        "improved": improved,
        "not_improved": people - improved,
        "improved_share": Percent.of(improved, people),
    }


def _mean(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values) / len(values)).quantize(Decimal("0.1"), ROUND_HALF_UP)
