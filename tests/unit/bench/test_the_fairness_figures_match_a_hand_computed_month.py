"""The matching benchmark's fairness figures (bench/match_fairness.py), checked on a month worked out by hand,
and the curve of fairness against output written as a table and a PNG chart (bench/match_report.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.match_fairness import ResidentMonth, fairness_figures
from bench.match_report import CHART, fairness_section, write_fairness_chart
from bench.report import verdict

# earned fen, offered minutes, lots received, eligible, eligible for a lot given to someone else
TOY = [
    ResidentMonth(6_000, 600, 2, True, True),  # A: 600 fen per offered hour
    ResidentMonth(3_000, 300, 1, True, False),  # B: 600
    ResidentMonth(0, 120, 0, True, True),  # C: 0, eligible for others' lots and got none: passed over
    ResidentMonth(1_200, 240, 1, True, True),  # D: 300
    ResidentMonth(0, 600, 0, False, False),  # E: never eligible for any lot: not counted
    ResidentMonth(500, 0, 1, True, False),  # F: offered no time: no hourly income, not counted
]


def test_the_gini_is_of_income_per_offered_hour_over_residents_with_eligible_work() -> None:
    # hourly [0, 300, 600, 600]: mean absolute difference 4,200 / 16 pairs over twice the mean 375 = 0.35
    assert fairness_figures(TOY)["fair_gini_per_offered_hour"] == pytest.approx(0.35)
    assert fairness_figures(TOY)["eligible_residents"] == 4


def test_passed_over_counts_those_eligible_for_others_work_who_got_none() -> None:
    assert fairness_figures(TOY)["passed_over_share"] == pytest.approx(1 / 4)  # C of A, B, C, D
    nobody = [ResidentMonth(0, 120, 0, True, False), ResidentMonth(900, 120, 1, True, False)]
    assert fairness_figures(nobody)["passed_over_share"] == 0.0  # no lot she could do went to another


def test_the_lowest_decile_over_the_median() -> None:
    # sorted [0, 300, 600, 600]: 10th percentile at 0.3 of the way from 0 to 300 = 90; median (300 + 600) / 2
    assert fairness_figures(TOY)["min_to_median_hourly_ratio"] == pytest.approx(90 / 450)


def test_equal_pay_per_offered_hour_is_perfectly_fair() -> None:
    month = [ResidentMonth(100 * h, 60 * h, 1, True, True) for h in (2, 5, 9)]
    figures = fairness_figures(month)
    assert figures["fair_gini_per_offered_hour"] == pytest.approx(0.0)
    assert figures["min_to_median_hourly_ratio"] == pytest.approx(1.0)


CURVE = [{"weight": w, "fair_gini_per_offered_hour": g, "passed_over_share": 0.0, "min_to_median_hourly_ratio": 0.7,
          "on_time_pieces": p, "on_time_ratio_vs_greedy": p / 1000} for w, g, p in
         ((0.0, 0.6, 1005), (0.5, 0.35, 1004), (1.0, 0.27, 1003), (2.0, 0.21, 1002), (4.0, 0.19, 999))]
RESULTS = {"match_fairness_curve": CURVE, "match_fairness_weight": 2.0, "greedy_on_time_pieces": 1000,
           "greedy_fair_gini_per_offered_hour": 0.65, "greedy_passed_over_share": 0.33,
           "greedy_min_to_median_hourly_ratio": 0.0, "least_earned_on_time_pieces": 980,
           "least_earned_fair_gini_per_offered_hour": 0.30, "least_earned_passed_over_share": 0.0,
           "least_earned_min_to_median_hourly_ratio": 0.5}


def test_the_curve_is_a_table_row_per_weight_and_baseline_with_the_chart() -> None:
    text = "\n".join(fairness_section(RESULTS))
    assert "| matcher, weight 2 (default) | 0.210 | 0.0% | 0.70 | 1,002 | 1.0020 |" in text
    assert "| least-earned-first greedy | 0.300 | 0.0% | 0.50 | 980 | 0.9800 |" in text
    assert "| greedy (first come, first served) | 0.650 | 33.0% | 0.00 | 1,000 | 1.0000 |" in text
    assert f"]({CHART})" in text
    assert fairness_section({}) == []


def test_the_chart_is_a_png_beside_the_document(tmp_path: Path) -> None:
    path = write_fairness_chart(RESULTS, tmp_path / "benchmarks.md")
    assert path == tmp_path / CHART
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert write_fairness_chart({}, tmp_path / "benchmarks.md") is None


def test_the_fairness_goal_is_half_of_greedy_and_below_least_earned_first() -> None:
    assert verdict("fair_gini_per_offered_hour", 0.21, RESULTS) == "met"
    assert verdict("fair_gini_per_offered_hour", 0.31, RESULTS) == "**not met**"  # above least-earned-first
    assert verdict("fair_gini_per_offered_hour", 0.299, {**RESULTS, "greedy_fair_gini_per_offered_hour": 0.5}) \
        == "**not met**"  # not half of greedy's
