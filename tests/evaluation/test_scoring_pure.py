"""The score arithmetic (evaluation.scoring), with property tests: 5% steps, sums by
category and in total, the maximum of 1000, the consensus flag at the threshold."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualityaward.evaluation.scoring import (
    InvalidPercent,
    ItemLine,
    aggregate,
    category_totals,
    check_percent,
    default_percent,
    is_flagged,
    item_points,
    passes_threshold,
    round_to_step,
    spread,
    stage_total,
    weighted_total,
)

PRESET = Path(__file__).parents[2] / "src/qualityaward/rulesets/presets/gbt19580-2012.json"
FRAMEWORK = json.loads(PRESET.read_text())
LINES = [
    (category["code"], item["points"])
    for category in FRAMEWORK["categories"]
    for item in category["items"]
]
steps = st.integers(min_value=0, max_value=20).map(lambda n: n * 5)


@given(st.integers(min_value=-50, max_value=150))
def test_check_percent_accepts_only_steps_of_5_from_0_to_100(value):
    if 0 <= value <= 100 and value % 5 == 0:
        assert check_percent(value) == value
        assert check_percent(str(value)) == value
    else:
        with pytest.raises(InvalidPercent):
            check_percent(value)


@pytest.mark.parametrize("value", ["", "abc", "7.5", None, True, 50.0, "-5"])
def test_check_percent_refuses_what_is_not_a_whole_percentage(value):
    with pytest.raises(InvalidPercent):
        check_percent(value)


def test_check_percent_message_names_the_step():
    from django.utils import translation

    with translation.override("en"), pytest.raises(InvalidPercent) as error:
        check_percent(52)
    assert error.value.code == "percent_step"
    assert "steps of 5" in error.value.message


@given(st.decimals(min_value=0, max_value=100, places=3))
def test_round_to_step_gives_the_nearest_multiple_of_5(value):
    rounded = round_to_step(value)
    assert rounded % 5 == 0
    assert abs(Decimal(rounded) - value) <= Decimal("2.5")


def test_round_to_step_rounds_halves_up():
    assert [round_to_step(x) for x in (Decimal("52.5"), Decimal("52.4"), 57, 0, 100)] == [
        55,
        50,
        55,
        0,
        100,
    ]


def test_aggregations():
    assert aggregate([50, 60, 70, 80, 100], "mean") == Decimal(72)
    assert aggregate([50, 60, 70, 80, 100], "trimmed_mean") == Decimal(70)
    assert aggregate([50, 60, 70, 80, 100], "median") == Decimal(70)
    assert aggregate([50, 60, 70, 80], "median") == Decimal(65)
    assert aggregate([40, 60], "trimmed_mean") == Decimal(50)  # fewer than 3: the mean
    assert default_percent([50, 55, 55], "mean") == 55  # 53.33 -> 55


@given(st.lists(steps, min_size=1, max_size=9), st.sampled_from(["mean", "trimmed_mean", "median"]))
def test_aggregate_lies_between_min_and_max(values, method):
    value = aggregate(values, method)
    assert min(values) <= value <= max(values)
    assert default_percent(values, method) % 5 == 0


@given(st.lists(steps, min_size=1, max_size=9), st.integers(min_value=0, max_value=100))
def test_flag_exactly_when_spread_exceeds_threshold(values, threshold):
    assert is_flagged(values, threshold) == (max(values) - min(values) > threshold)


def test_spread_equal_to_threshold_is_not_flagged_and_one_more_is():
    assert spread([50, 70]) == 20
    assert is_flagged([50, 70], 20) is False
    assert is_flagged([50, 75], 20) is True


@given(st.lists(steps, min_size=len(LINES), max_size=len(LINES)))
def test_category_and_stage_totals_add_up_and_never_exceed_1000(percents):
    lines = [ItemLine(code, points, p) for (code, points), p in zip(LINES, percents, strict=True)]
    categories = category_totals(lines)
    assert list(categories) == ["4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7"]
    for code, total in categories.items():
        assert total == sum(
            item_points(line.points, line.percent) for line in lines if line.category == code
        )
    total = stage_total(categories)
    assert total == sum(categories.values())
    assert Decimal(0) <= total <= Decimal(1000)


def test_all_items_at_100_percent_give_1000():
    lines = [ItemLine(code, points, 100) for code, points in LINES]
    assert stage_total(category_totals(lines)) == Decimal("1000.00")
    assert item_points(15, 55) == Decimal("8.25")


def test_weighted_total_counts_missing_stages_as_0():
    weights = {
        "document_review": Decimal("0.5"),
        "site_visit": Decimal("0.3"),
        "presentation": Decimal("0.2"),
    }
    assert weighted_total(
        {"document_review": Decimal(600), "site_visit": Decimal(700), "presentation": Decimal(800)},
        weights,
    ) == Decimal("670.00")
    assert weighted_total({"document_review": Decimal(400)}, weights) == Decimal("200.00")


def test_threshold_is_reached_at_equality():
    assert passes_threshold(Decimal(500), 500) is True
    assert passes_threshold(Decimal("499.99"), 500) is False
    assert passes_threshold(Decimal(0), None) is True
