"""Change in aggregate: per group and for all, suppressed before anyone sees it."""

from decimal import Decimal

import pytest

from portal.localities import Locality
from portal.outcomes import selectors, services
from portal.outcomes.models import EnteredBy
from portal.outcomes.selectors import CHANGE_FIGURES
from portal.reports.suppression import FEWER_THAN_5, HIDDEN
from tests.outcomes.conftest import answers
from tests.outcomes.subject_app.models import Circle, Member

pytestmark = pytest.mark.django_db


def _member(circle, start, end=None):
    """A member with SWEMWBS answers of `start` (and `end`) on every item."""
    member = Member.objects.create(circle=circle, name="A member", ended=end is not None)
    for occasion, value in (("start", start), ("end", end)):
        if value is not None:
            services.record_answers(
                member, occasion, answers(swemwbs=(value,) * 7), by=None, entered_by=EnteredBy.STAFF
            )
    return member


def _rows():
    return selectors.change_by_group(Member.objects.all(), "swemwbs")


@pytest.fixture
def circles(db):
    north, south = Locality.objects.get(slug="north"), Locality.objects.get(slug="south")
    return (
        Circle.objects.create(title="Group A", locality=north),
        Circle.objects.create(title="Group B", locality=south),
        Circle.objects.create(title="Group C", locality=south),
    )


def test_change_counts_only_people_with_both_a_start_and_an_end_score(circles):
    a, b, _ = circles
    _member(b, 3)  # group B: only a start
    _member(a, 2, 4)  # raw 14 -> 28: 15.32 -> 25.03, improved
    _member(a, 3, 3)  # 21 -> 21: no change
    _member(a, 3)  # no end yet
    unscored = _member(a, 3, 3)
    services.record_answers(
        unscored, "end", answers(swemwbs=(3, 3, 3, 0, 3, 3, 3)), by=None, entered_by="person"
    )
    (row_a, row_b, everyone) = _rows()
    assert (row_a["circle"], row_a["locality"]) == ("Group A", "North")
    assert row_a["people"] == 2
    assert row_a["mean_start"] == Decimal("17.3")  # (15.32 + 19.25) / 2
    assert row_a["mean_end"] == Decimal("22.1")  # (25.03 + 19.25) / 2
    assert row_a["mean_change"] == Decimal("4.9")  # (9.71 + 0) / 2
    assert (row_a["improved"], row_a["not_improved"]) == (1, 1)
    assert str(row_a["improved_share"]) == "50%"
    assert row_b["people"] == 0 and row_b["mean_start"] is None
    assert everyone["circle"] == "All" and everyone["people"] == 2


def test_an_improvement_counts_from_the_meaningful_change_of_3_metric_points(circles):
    a, _, _ = circles
    _member(a, 3, 3)  # 19.25 -> 19.25
    # raw 21 -> 23 is 19.25 -> 20.73 (1.48); raw 21 -> 24 is 19.25 -> 21.54 (2.29);
    # raw 21 -> 25 is 22.35 (3.10): only that one improved.
    for end_items in ((4, 4, 3, 3, 3, 3, 3), (4, 4, 4, 3, 3, 3, 3), (4, 4, 4, 4, 3, 3, 3)):
        member = _member(a, 3)
        member.ended = True
        services.record_answers(
            member, "end", answers(swemwbs=end_items), by=None, entered_by="staff"
        )
    (row_a, *_) = _rows()
    assert (row_a["people"], row_a["improved"]) == (4, 1)


def test_four_people_are_fewer_than_5_five_are_shown_and_a_second_group_is_hidden(circles):
    a, b, c = circles
    for _ in range(4):
        _member(a, 2, 4)
    for _ in range(5):
        _member(b, 2, 4)
    for _ in range(6):
        _member(c, 3, 3)
    shown = CHANGE_FIGURES.apply(_rows())
    row_a, row_b, row_c, everyone = shown
    # Four people: suppressed, and so is everything worked out from them.
    assert row_a["people"] == FEWER_THAN_5
    assert row_a["improved"] == FEWER_THAN_5
    assert row_a["mean_start"] == HIDDEN and row_a["mean_change"] == HIDDEN
    assert str(row_a["people"]) == "fewer than 5"
    # The total (15) is shown, so one more group's count is hidden with group A's: the
    # smallest, group B's 5 (otherwise 15 - 5 - 6 would give group A's 4).
    assert row_b["people"] == HIDDEN and row_b["mean_end"] == HIDDEN
    assert row_c["people"] == 6 and row_c["mean_start"] == Decimal("19.3")
    assert row_c["improved"] == 0 and row_c["not_improved"] == 6
    assert everyone["people"] == 15
    assert str(row_b["people"]) == "hidden"


def test_five_people_in_every_group_are_shown_with_their_means(circles):
    a, b, c = circles
    for circle in circles:
        for _ in range(5):
            _member(circle, 2, 4)
    shown = CHANGE_FIGURES.apply(_rows())
    assert [row["people"] for row in shown] == [5, 5, 5, 15]
    assert all(row["mean_change"] == Decimal("9.7") for row in shown)
    assert all(str(row["improved_share"]) == "100%" for row in shown)


def test_the_change_of_a_group_costs_a_constant_number_of_queries(
    circles, django_assert_max_num_queries
):
    a, b, c = circles
    for circle in circles:
        for _ in range(3):
            _member(circle, 2, 4)
    with django_assert_max_num_queries(3):
        rows = _rows()
    assert len(rows) == 4


def test_anonymised_responses_still_count_the_same(circles):
    a, _, _ = circles
    members = [_member(a, 2, 4) for _ in range(3)] + [_member(a, 3, 3)]
    before = _rows()
    for member in members:
        services.anonymise_for(member)
    assert _rows() == before
