"""The shared number formatting: bounds are rounded so that the printed statement stays true."""
from __future__ import annotations

import pytest

from parkecon import audit
from parkecon.calc import bound_round, label, words


@pytest.mark.parametrize("value, qualifier, fmt, shown", [
    (41.9, "more_than", "{:.0f}", "more than 41"),      # not "more than 42": the source says 41.9 or more
    (41.9, "at_least", "{:.0f}", "at least 41"),
    (112.7, "more_than", "{:,.0f}", "more than 112"),   # not 113 (1000亿 / 887,000 racks)
    (112.3, "less_than", "{:,.0f}", "less than 113"),   # an upper bound is rounded up
    (112.3, "at_most", "{:.1f}", "at most 112.3"),
    (20.507, "less_than", "{:.1f}", "less than 20.6"),
    (41.9, "about", "{:.0f}", "about 42"),              # not a bound: nearest
    (42.0, "more_than", "{:.0f}", "more than 42"),      # an exact integer stays itself
    (0.1 + 0.2, "at_most", "{:.1f}", "at most 0.3"),    # float noise does not push a bound up a step
])
def test_bounds_round_towards_truth(value, qualifier, fmt, shown):
    assert words(value, qualifier, fmt) == shown
    sign = {"more_than": ">", "at_least": "≥", "less_than": "<", "at_most": "≤", "about": "≈"}[qualifier]
    assert label(value, qualifier, fmt) == sign + shown.split(" ")[-1]


def test_bound_round_directions():
    assert bound_round(1.99, "more_than", 1) == 1.9 and bound_round(1.91, "less_than", 1) == 2.0
    assert bound_round(1.95, "exactly", 1) == round(1.95, 1)


def test_display_value_rounds_bounds_the_safe_way():
    assert audit.display_value(1358.75, "亿元", "more_than") == ">135.87 bn yuan"
    assert audit.display_value(1358.75, "亿元", "less_than") == "<135.88 bn yuan"


@pytest.mark.parametrize("tq, bq, covers, direction", [
    ("exactly", "exactly", True, "exact"),
    ("more_than", "exactly", True, "lower bound"),
    ("at_least", "exactly", True, "lower bound (inclusive)"),
    ("exactly", "more_than", True, "upper bound"),
    ("exactly", "exactly", False, "upper bound (inclusive)"),   # baseline covers part of the target
    ("more_than", "exactly", False, "either way"),              # 355N electronics and big data
    ("more_than", "more_than", True, "either way"),             # 355N equipment
    ("at_least", "less_than", True, "lower bound"),
    ("about", "exactly", True, "approximate"),
])
def test_required_rate_direction(tq, bq, covers, direction):
    rr = audit.required_rate(1000, tq, 100, bq, 2021, 2025, base_covers_target=covers)
    assert rr.direction == direction
    assert rr.rate == pytest.approx((10 ** 0.25 - 1) * 100) and rr.multiple == 10


def test_required_rate_is_printed_with_its_direction():
    low = audit.required_rate(1000, "more_than", 100, "exactly", 2021, 2025)
    high = audit.required_rate(1000, "exactly", 100, "at_least", 2021, 2025)
    either = audit.required_rate(1000, "more_than", 100, "more_than", 2021, 2025, year_read="no year given")
    assert low.statement() == "more than 77% a year from 2021 to 2025"      # 77.8 rounded down
    assert high.statement() == "at most 78% a year from 2021 to 2025"       # rounded up
    assert either.statement() == "about 78% a year from 2021 to 2025, either way (no year given)"
    assert low.label(1) == ">77.8%" and either.label(0) == "≈78% (either way)"


def test_a_unit_scale_in_a_computation_is_not_taken_for_a_remembered_value():
    """÷ 1e9 (yuan to billions) stays a change of units even when a fact of 1e11 yuan (1e9 × 100) is
    remembered: before, the divisor was matched to that fact and the derivation named it."""
    from parkecon.trace import Num, describe

    Num.of_fact("f001-045", 1e11)
    out = Num.of_fact("f000-001", 1.35875e11) / 1e9
    assert describe(out.expr) == "[f000-001]" and out.facts == ("f000-001",)
    assert describe((out * 10).expr) == "[f000-001] × 10"
    assert describe((Num.of_fact("f000-032", 57.1) / 100).expr) == "[f000-032] ÷ 100"


def test_a_stated_derivation_is_not_mixed_with_a_guess():
    """A plain number pasted with `how`, `facts` or `counts` carries only what is stated, even
    when it equals a remembered value; without them it is still matched."""
    from parkecon.notebook import _derivation
    from parkecon.trace import Num

    Num.of_fact("f000-001", 1.35875e11)
    assert _derivation(135.875, None, None, None)["facts"] == ["f000-001"]
    assert _derivation(135.875, "a stated computation", None, None) == {"how": "a stated computation"}
    assert _derivation(135.875, None, ["f000-003"], None) == {"facts": ["f000-003"]}
