"""The DASH score and risk routing, as pure functions."""

from referrals import dash


def answers(yes: int, no: int = 0) -> dict[int, str]:
    given = {n: dash.YES for n in range(1, yes + 1)}
    given.update({n: dash.NO for n in range(yes + 1, yes + no + 1)})
    return given


def test_the_score_counts_yes_answers_only():
    assert dash.score({}) == 0
    assert dash.score({1: dash.YES, 2: dash.NO, 3: dash.NOT_KNOWN, 4: dash.YES}) == 2
    # Numbers outside the 24 questions do not count.
    assert dash.score({0: dash.YES, 25: dash.YES}) == 0
    assert len(dash.QUESTIONS) == 24


def test_13_yes_is_not_high_risk_and_14_is():
    thirteen = dash.assess(answers(13, 11))
    assert thirteen.level == dash.MEDIUM and not thirteen.high_risk
    fourteen = dash.assess(answers(14, 10))
    assert fourteen.high_risk and fourteen.reasons == ("score",)


def test_the_medium_threshold():
    assert dash.assess(answers(9)).level == dash.STANDARD
    assert dash.assess(answers(10)).level == dash.MEDIUM


def test_professional_judgement_raises_the_level():
    raised = dash.assess(answers(2), judgement=dash.HIGH)
    assert raised.high_risk and raised.reasons == ("judgement",)
    assert dash.assess(answers(2), judgement=dash.MEDIUM).level == dash.MEDIUM


def test_professional_judgement_never_lowers_the_score():
    assert dash.assess(answers(14), judgement=dash.STANDARD).high_risk
    assert dash.assess(answers(11), judgement=dash.STANDARD).level == dash.MEDIUM


def test_a_police_risk_level_raises_but_does_not_lower():
    assert dash.assess({}, stated_level=dash.MEDIUM).level == dash.MEDIUM
    assert dash.assess(answers(12), stated_level=dash.STANDARD).level == dash.MEDIUM


def test_escalation_is_three_incidents_in_twelve_months():
    assert not dash.assess({}, incidents_last_year=2).high_risk
    escalated = dash.assess({}, incidents_last_year=3)
    assert escalated.high_risk and escalated.reasons == ("escalation",)


def test_a_repeat_referral_is_high_risk():
    repeat = dash.assess({}, repeat=True)
    assert repeat.high_risk and repeat.reasons == ("repeat",)


def test_every_reason_is_given():
    every = dash.assess(answers(20), judgement=dash.HIGH, incidents_last_year=5, repeat=True)
    assert every.reasons == ("score", "judgement", "escalation", "repeat")
