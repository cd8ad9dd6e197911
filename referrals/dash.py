"""The DASH risk checklist (SafeLives' 24 questions) and risk routing, as pure functions.

A referral is high risk, and belongs to the MARAC and IDVA route rather than the community
queue, when any of these holds:
- 14 or more of the 24 questions are answered "yes" (`HIGH_RISK_SCORE`);
- the referrer's professional judgement is that the risk is high;
- escalation: three or more incidents in the last twelve months (`ESCALATION_INCIDENTS`);
- a repeat referral: the person was referred before within the last twelve months.
Professional judgement may raise the level the score gives, never lower it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

YES, NO, NOT_KNOWN = "yes", "no", "not_known"
HIGH_RISK_SCORE = 14
MEDIUM_RISK_SCORE = 10
ESCALATION_INCIDENTS = 3

STANDARD, MEDIUM, HIGH = "standard", "medium", "high"
LEVELS = (STANDARD, MEDIUM, HIGH)
LEVEL_LABELS = {STANDARD: "Standard", MEDIUM: "Medium", HIGH: "High"}

# Reasons a referral is high risk, as recorded (codes) and as staff read them.
REASONS = {
    "score": f"DASH score of {HIGH_RISK_SCORE} or more",
    "judgement": "Professional judgement: high risk",
    "escalation": f"Escalation: {ESCALATION_INCIDENTS} or more incidents in 12 months",
    "repeat": "Repeat referral within 12 months",
}

QUESTIONS = (
    "Has the current incident resulted in injury?",
    "Is the person very frightened?",
    "Are they afraid of further injury or violence?",
    "Do they feel isolated from family or friends?",
    "Are they feeling depressed or having suicidal thoughts?",
    "Have they separated, or tried to separate, from the person causing harm in the past year?",
    "Is there conflict over child contact?",
    "Does the person causing harm constantly text, call, contact, follow, stalk or harass them?",
    "Are they pregnant, or have they had a baby in the last 18 months?",
    "Is the abuse happening more often?",
    "Is the abuse getting worse?",
    "Does the person causing harm try to control everything they do, or are they excessively "
    "jealous?",
    "Has the person causing harm ever used weapons or objects to hurt them?",
    "Has the person causing harm ever threatened to kill them or someone else, and they "
    "believed it?",
    "Has the person causing harm ever attempted to strangle, choke, suffocate or drown them?",
    "Does the person causing harm do or say things of a sexual nature that make them feel bad "
    "or that physically hurt them or someone else?",
    "Is there any other person who has threatened them, or whom they are afraid of?",
    "Do they know if the person causing harm has hurt anyone else?",
    "Has the person causing harm ever mistreated an animal or the family pet?",
    "Are there any financial issues?",
    "Has the person causing harm had problems in the past year with drugs, alcohol or mental "
    "health, leading to problems in leading a normal life?",
    "Has the person causing harm ever threatened or attempted suicide?",
    "Has the person causing harm ever broken bail, an injunction or a formal agreement?",
    "Has the person causing harm ever been in trouble with the police, or do they have a "
    "criminal history?",
)


def score(answers: Mapping[int, str]) -> int:
    """How many of the questions (numbered 1 to 24) are answered "yes"."""
    return sum(1 for number, answer in answers.items() if 1 <= number <= 24 and answer == YES)


def level_from_score(value: int) -> str:
    if value >= HIGH_RISK_SCORE:
        return HIGH
    if value >= MEDIUM_RISK_SCORE:
        return MEDIUM
    return STANDARD


@dataclass(frozen=True)
class Assessment:
    level: str
    reasons: tuple[str, ...]  # codes of REASONS; empty unless high

    @property
    def high_risk(self) -> bool:
        return self.level == HIGH


def assess(
    answers: Mapping[int, str] | None = None,
    *,
    judgement: str = "",
    incidents_last_year: int | None = None,
    repeat: bool = False,
    stated_level: str = "",
) -> Assessment:
    """The risk level and, when high, why. `judgement` and `stated_level` (a police report's
    risk level) may raise the level the score gives, never lower it."""
    levels = [level_from_score(score(answers or {}))]
    levels += [given for given in (judgement, stated_level) if given in LEVELS]
    reasons = []
    if answers and score(answers) >= HIGH_RISK_SCORE:
        reasons.append("score")
    if judgement == HIGH:
        reasons.append("judgement")
    if incidents_last_year is not None and incidents_last_year >= ESCALATION_INCIDENTS:
        reasons.append("escalation")
    if repeat:
        reasons.append("repeat")
    level = HIGH if reasons else max(levels, key=LEVELS.index)
    return Assessment(level=level, reasons=tuple(reasons))
