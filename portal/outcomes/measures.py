"""The measures, defined in code (pure: no database).

SWEMWBS, the Short Warwick-Edinburgh Mental Wellbeing Scale (7 items, © University of
Warwick, NHS Health Scotland and the University of Edinburgh): each item from "None of the
time" (1) to "All of the time" (5); the raw sum (7 to 35) is converted to the metric score
with the published Rasch conversion table, and it is the metric score that is compared.
Its wording must not be changed. It is free to use, but its licence asks every service
that uses it to register with Warwick Medical School: the deployer must do that.

Two single items follow the same 5-point shape: "I feel safer" (how much they agree) and
"My quality of life" (how they rate it). Their score is the answer itself.

Every question may be left with "Prefer not to answer": the answers given are kept, but a
measure with any item declined has no score (a scale's score is only valid whole), so it
counts in no report.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

DECLINED = 0
DECLINED_LABEL = "Prefer not to answer"

# Raw score (sum of the 7 items) -> metric score, from the SWEMWBS conversion table.
SWEMWBS_METRIC = {
    raw: Decimal(metric)
    for raw, metric in {
        7: "7.00", 8: "9.51", 9: "11.25", 10: "12.40", 11: "13.33", 12: "14.08", 13: "14.75",
        14: "15.32", 15: "15.84", 16: "16.36", 17: "16.88", 18: "17.43", 19: "17.98",
        20: "18.59", 21: "19.25", 22: "19.98", 23: "20.73", 24: "21.54", 25: "22.35",
        26: "23.21", 27: "24.11", 28: "25.03", 29: "26.02", 30: "27.03", 31: "28.13",
        32: "29.31", 33: "30.70", 34: "32.55", 35: "35.00",
    }.items()
}  # fmt: skip


def swemwbs_metric(raw: int) -> Decimal:
    """The metric score for a raw SWEMWBS score; ValueError for anything but 7 to 35."""
    if isinstance(raw, bool) or not isinstance(raw, int) or raw not in SWEMWBS_METRIC:
        raise ValueError(f"A raw SWEMWBS score is a whole number from 7 to 35, not {raw!r}.")
    return SWEMWBS_METRIC[raw]


FREQUENCY = (
    (1, "None of the time"),
    (2, "Rarely"),
    (3, "Some of the time"),
    (4, "Often"),
    (5, "All of the time"),
)
AGREEMENT = (
    (1, "Strongly disagree"),
    (2, "Disagree"),
    (3, "Neither agree nor disagree"),
    (4, "Agree"),
    (5, "Strongly agree"),
)
RATING = (
    (1, "Very poor"),
    (2, "Poor"),
    (3, "Neither poor nor good"),
    (4, "Good"),
    (5, "Very good"),
)


@dataclass(frozen=True)
class Item:
    key: str
    text: str


@dataclass(frozen=True)
class Measure:
    key: str
    title: str
    # Shown above the items (the measure's own instructions).
    lead: str
    items: tuple[Item, ...]
    choices: tuple[tuple[int, str], ...]
    # The smallest rise in score that counts as a meaningful improvement in reports.
    meaningful_change: Decimal
    meaningful_change_note: str

    def score(self, answers: dict[str, int]) -> Decimal | None:
        """The measure's score from its answers (item key -> 1..5, or DECLINED); None when
        an item is declined or missing. ValueError for an answer off the scale."""
        values = [answers.get(item.key) for item in self.items]
        allowed = {value for value, _ in self.choices} | {DECLINED}
        for value in values:
            if value is not None and value not in allowed:
                raise ValueError(f"{value!r} is not an answer to {self.title}.")
        if any(value in (None, DECLINED) for value in values):
            return None
        return self.convert(sum(values))

    def convert(self, raw: int) -> Decimal:
        return Decimal(raw)


class Swemwbs(Measure):
    def convert(self, raw: int) -> Decimal:
        return swemwbs_metric(raw)


SWEMWBS = Swemwbs(
    key="swemwbs",
    title="Your wellbeing",
    lead=(
        "Below are some statements about feelings and thoughts. Choose the answer that "
        "best describes your experience of each over the last 2 weeks."
    ),
    items=tuple(
        Item(f"item{number}", text)
        for number, text in enumerate(
            (
                "I've been feeling optimistic about the future",
                "I've been feeling useful",
                "I've been feeling relaxed",
                "I've been dealing with problems well",
                "I've been thinking clearly",
                "I've been feeling close to other people",
                "I've been able to make up my own mind about things",
            ),
            start=1,
        )
    ),
    choices=FREQUENCY,
    meaningful_change=Decimal(3),
    meaningful_change_note=(
        "A rise of 3 or more metric points, the threshold commonly used for a meaningful "
        "change in one person's SWEMWBS score."
    ),
)
FEEL_SAFER = Measure(
    key="feel_safer",
    title="Feeling safe",
    lead="How much do you agree with this statement?",
    items=(Item("safer", "I feel safer"),),
    choices=AGREEMENT,
    meaningful_change=Decimal(1),
    meaningful_change_note="A rise of at least one step on the 5-point scale.",
)
QUALITY_OF_LIFE = Measure(
    key="quality_of_life",
    title="Quality of life",
    lead="How would you rate this?",
    items=(Item("quality", "My quality of life"),),
    choices=RATING,
    meaningful_change=Decimal(1),
    meaningful_change_note="A rise of at least one step on the 5-point scale.",
)

MEASURES: dict[str, Measure] = {m.key: m for m in (SWEMWBS, FEEL_SAFER, QUALITY_OF_LIFE)}
# What the person is asked at each occasion, in this order, on one page.
QUESTIONNAIRE: tuple[Measure, ...] = (SWEMWBS, FEEL_SAFER, QUALITY_OF_LIFE)


def measure(key: str) -> Measure:
    try:
        return MEASURES[key]
    except KeyError:
        raise LookupError(f"No outcome measure {key!r}.") from None
