"""Service points (代办 acts by stars, volunteer tasks, the service cap) and the assessment, in plain values."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.assessment import NOT_ENOUGH_RATERS, Policy, assess, grade_of, parse_period, satisfaction, star_rating
from domain.points import PointRule
from domain.points.service import act_points, reverse_volunteer, score_volunteer, volunteer_points

RULE = PointRule(version=1, effective_at=datetime(2026, 1, 1, tzinfo=UTC), volunteer_points_per_hour=2,
                 service_monthly_cap=5)
DONE = datetime(2026, 11, 10, 2, tzinfo=UTC)


def test_an_act_earns_the_rule_s_points_for_its_stars_and_nothing_when_the_helper_rated_themself() -> None:
    assert [act_points(s, RULE, self_recorded=False) for s in range(1, 6)] == [0, 0, 1, 2, 3]
    assert act_points(5, RULE, self_recorded=True) == 0
    assert act_points(5, None, self_recorded=False) == 0
    with pytest.raises(ValueError):
        act_points(0, RULE, self_recorded=False)


def test_volunteer_points_are_capped_per_month_and_a_withdrawal_takes_back_only_what_the_cap_let_in() -> None:
    assert volunteer_points(90, RULE) == 3 and volunteer_points(29, RULE) == 0
    first = score_volunteer(task_id="v1", resident_id="r", community_id="c", done_at=DONE, uncapped=4,
                            rule_version=1, month_total_before=0, cap=5)
    second = score_volunteer(task_id="v2", resident_id="r", community_id="c", done_at=DONE, uncapped=4,
                             rule_version=1, month_total_before=4, cap=5)
    back = reverse_volunteer(first, month_total_before=8, cap=5)
    assert (first.points, second.points, back.points) == (4, 1, -1)  # min(5, 8) = 5, then min(5, 4) = 4
    assert back.month == "2026-11" and back.reverses_entry_key == first.entry_key


def test_satisfaction_weighs_each_rater_once_and_stays_silent_below_the_minimum() -> None:
    sat = satisfaction([("a", 5), ("a", 4), ("b", 3), ("c", 5)], min_raters=3)
    assert (sat.raters, sat.ratings, sat.score_tenths) == (3, 4, 833)  # (90 + 60 + 100) / 3
    few = satisfaction([("a", 5)], min_raters=3)
    assert few.score_tenths is None
    assert assess(few, street_score=100, peer_score=100, policy=Policy()).note == NOT_ENOUGH_RATERS


def test_the_weighted_total_and_the_four_grades_follow_the_district_s_policy() -> None:
    sat = satisfaction([("a", 5), ("a", 4), ("b", 3), ("c", 5)], min_raters=3)
    result = assess(sat, street_score=80, peer_score=90, policy=Policy(min_raters=3))
    assert (result.total_tenths, result.grade) == (830, "称职")  # 0.6×83.3 + 0.3×80 + 0.1×90 = 82.98
    assert [grade_of(t, Policy()) for t in (900, 899, 700, 600, 599)] == ["优秀", "称职", "称职", "基本称职", "不称职"]
    own = Policy(resident_weight_pct=50, street_weight_pct=40, peer_weight_pct=10, min_raters=3)
    assert assess(sat, street_score=80, peer_score=90, policy=own).total_tenths == 827  # 41.65 + 32 + 9
    with pytest.raises(ValueError):
        Policy(resident_weight_pct=70)


def test_periods_are_months_quarters_or_years_in_shanghai_and_stars_need_points_and_ratings() -> None:
    start, end = parse_period("2026-Q4")
    assert (start.month, end.year, end.month) == (10, 2027, 1)
    with pytest.raises(ValueError):
        parse_period("2026-13")
    assert star_rating("h", points=45, stars_received=[5, 5, 4]).stars == 4  # 1 + 45 // 10 = 5; mean 4.6 → 4
    assert star_rating("h", points=5, stars_received=[5, 5, 5]).stars == 1
    assert star_rating("h", points=99, stars_received=[5, 5]).stars is None  # 评价不足
