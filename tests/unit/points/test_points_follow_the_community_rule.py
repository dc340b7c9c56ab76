"""The point rule (积分规则): pay earned on time and passing scores points; caps hold whatever the order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import permutations

import pytest

from domain.points import (
    PointRule,
    WorkFact,
    cap_for_month,
    capped,
    capped_delta,
    mask_name,
    month_bounds,
    month_of,
    reverse,
    rule_in_force,
    score_work,
    work_points,
)

T0 = datetime(2026, 11, 1, tzinfo=UTC)
RULE = PointRule(version=1, effective_at=T0)  # 1 point per ¥10, pass ≥ 90%, +50% from 98%, no cap


def fact(passed: int, rejected: int = 0, *, rate: int = 55, on_time: bool = True, at: datetime | None = None,
         iid: str = "ins-1", corrects: str | None = None) -> WorkFact:
    return WorkFact(inspection_id=iid, resident_id="res-1", community_id="c1", passed=passed, rejected=rejected,
                    piece_rate_centifen=rate * 100, on_time=on_time, inspected_at=at or T0 + timedelta(days=9),
                    corrects_inspection_id=corrects)


def test_one_point_per_ten_yuan_and_half_again_for_a_pass_rate_of_98_percent() -> None:
    # 200 × 55 fen = ¥110 → 11 points; 200/200 passed ≥ 98% → +11×50% = 5 (rounded down) → 16
    assert work_points(fact(200), RULE) == 16
    # 196 passed, 4 rejected: 98.0% → still the bonus; 196 × 55 = 10,780 fen → 10 + 5 = 15
    assert work_points(fact(196, 4), RULE) == 15
    # 190 passed, 10 rejected: 95% passes (≥ 90%) but no bonus; 190 × 55 = 10,450 fen → 10
    assert work_points(fact(190, 10), RULE) == 10


def test_late_failing_or_ruleless_work_scores_nothing() -> None:
    assert work_points(fact(200, on_time=False), RULE) == 0
    assert work_points(fact(170, 30), RULE) == 0  # 85% < 90%: the hand-in did not pass
    assert work_points(fact(0, 200), RULE) == 0
    assert work_points(fact(200), None) == 0


def test_a_new_version_scores_only_work_inspected_after_it_takes_effect() -> None:
    v2 = PointRule(version=2, effective_at=T0 + timedelta(days=10), fen_per_point=500)
    assert rule_in_force([RULE, v2], T0 + timedelta(days=9)) == RULE
    assert rule_in_force([RULE, v2], T0 + timedelta(days=10)) == v2
    assert rule_in_force([RULE, v2], T0 - timedelta(seconds=1)) is None


def test_a_correction_to_rejected_reverses_the_points() -> None:
    original = score_work(fact(200), RULE, month="2026-11", month_total_before=0, cap=0)
    assert original.points == 16 and original.entry_key == "pts:ins-1:work"
    undo = reverse(original, by_inspection_id="ins-2", month_total_before=16, cap=0)
    correction = score_work(fact(0, 200, iid="ins-2", corrects="ins-1"), RULE, month="2026-11", month_total_before=0,
                            cap=0)
    assert (undo.points, undo.reverses_entry_key, undo.month) == (-16, "pts:ins-1:work", original.month)
    assert correction.points == 0


@pytest.mark.parametrize("cap", [0, 20, 35])
def test_a_month_totals_min_of_cap_and_points_in_whatever_order_they_come(cap: int) -> None:
    changes = [16, 10, -10, 15]  # a reversal among them: the uncapped total never goes below zero in any prefix
    for order in permutations(changes):
        total, running, ok = 0, 0, True
        for change in order:
            if running + change < 0:
                ok = False
                break
            total += capped_delta(running, change, cap)
            running += change
        if ok:
            assert total == capped(sum(changes), cap)


def test_the_cap_of_a_month_is_the_one_in_force_when_it_began() -> None:
    capped_v1 = PointRule(version=1, effective_at=T0, monthly_cap=100)
    mid = PointRule(version=2, effective_at=T0 + timedelta(days=15), monthly_cap=50)
    assert cap_for_month([capped_v1, mid], "2026-11") == 100
    assert cap_for_month([capped_v1, mid], "2026-12") == 50
    assert cap_for_month([mid], "2026-11") == 50  # no rule at the start: the first one of the month
    assert cap_for_month([mid], "2026-10") == 0


def test_months_are_shanghai_calendar_months() -> None:
    assert month_of(datetime(2026, 11, 30, 16, 30, tzinfo=UTC)) == "2026-12"  # 00:30 on 1 December in Shanghai
    start, end = month_bounds("2026-12")
    assert (start.month, end.year, end.month) == (12, 2027, 1)
    with pytest.raises(ValueError):
        month_bounds("2026-13")


def test_names_on_the_public_list_are_masked_as_residents_expect() -> None:
    assert mask_name("张美梅") == "张*梅"
    assert mask_name("李娜") == "李*"
    assert mask_name("欧阳小明") == "欧**明"
    assert mask_name("王") == "王"
