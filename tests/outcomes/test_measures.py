from decimal import Decimal

import pytest

from portal.outcomes.measures import (
    DECLINED,
    FEEL_SAFER,
    QUALITY_OF_LIFE,
    SWEMWBS,
    measure,
    swemwbs_metric,
)


@pytest.mark.parametrize(
    ("raw", "metric"),
    [(7, "7.00"), (8, "9.51"), (21, "19.25"), (26, "23.21"), (34, "32.55"), (35, "35.00")],
)
def test_a_raw_swemwbs_score_converts_by_the_published_table(raw, metric):
    assert swemwbs_metric(raw) == Decimal(metric)


@pytest.mark.parametrize("raw", [6, 36, 0, -7, 21.0, "21", True, None])
def test_a_raw_score_off_the_scale_is_refused(raw):
    with pytest.raises(ValueError, match="7 to 35"):
        swemwbs_metric(raw)


def test_the_table_rises_with_every_raw_point():
    metrics = [swemwbs_metric(raw) for raw in range(7, 36)]
    assert metrics == sorted(set(metrics))


def test_swemwbs_has_its_seven_items_in_order_each_from_none_to_all_of_the_time():
    assert [item.text for item in SWEMWBS.items] == [
        "I've been feeling optimistic about the future",
        "I've been feeling useful",
        "I've been feeling relaxed",
        "I've been dealing with problems well",
        "I've been thinking clearly",
        "I've been feeling close to other people",
        "I've been able to make up my own mind about things",
    ]
    assert SWEMWBS.choices[0] == (1, "None of the time")
    assert SWEMWBS.choices[-1] == (5, "All of the time")


def test_the_swemwbs_score_is_the_metric_score_of_the_sum():
    given = {
        item.key: value for item, value in zip(SWEMWBS.items, [1, 2, 3, 4, 5, 3, 3], strict=True)
    }
    assert SWEMWBS.score(given) == Decimal("19.25")  # raw 21


def test_a_declined_or_missing_item_leaves_the_measure_unscored():
    given = {item.key: 4 for item in SWEMWBS.items}
    given["item3"] = DECLINED
    assert SWEMWBS.score(given) is None
    del given["item3"]
    assert SWEMWBS.score(given) is None


def test_an_answer_off_the_scale_is_refused():
    with pytest.raises(ValueError):
        SWEMWBS.score({item.key: 6 for item in SWEMWBS.items})


def test_the_single_items_score_their_answer():
    assert FEEL_SAFER.score({"safer": 4}) == 4
    assert QUALITY_OF_LIFE.score({"quality": DECLINED}) is None
    assert measure("feel_safer") is FEEL_SAFER
    with pytest.raises(LookupError):
        measure("nothing")
