"""hard_rules_broken: every hard rule a lot given by hand (dispatch, accept) breaks, by the names overrides use."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from domain.matching.model import LotNeed, MatchPolicy, ResidentState
from domain.matching.rules import HARD_RULES, hard_rules_broken
from domain.workload import Commitment

MONDAY = datetime(2026, 11, 29, 16, 0, tzinfo=UTC)  # Monday 00:00 in Shanghai
THREE_HOURS_A_DAY = tuple((d, 540, 720) for d in range(7))
# 150 pieces at 4 standard minutes: 600 minutes, due in 5 days (900 available minutes).
LOT = LotNeed("L1", "O1", "C1", "weaving", 1, 150, MONDAY + timedelta(days=5), True, "S1", 4.0, 200)
ANN = ResidentState("ann", "C1", {"weaving": 2}, "home", frozenset({"S1"}), THREE_HOURS_A_DAY, max_open_lots=2)


def _rules(lot: LotNeed = LOT, resident: ResidentState = ANN, *, plate: tuple[Commitment, ...] = (),
           seats: int = 1) -> list[str]:
    _, broken = hard_rules_broken(lot, resident, commitments=plate, seats_free={"S1": seats}, now=MONDAY,
                                  policy=MatchPolicy())
    return [b.rule for b in broken]


def _held(lot_id: str, minutes: float, days: float) -> Commitment:
    return Commitment(lot_id=lot_id, due_at=MONDAY + timedelta(days=days), minutes=minutes, kind="held")


def test_a_resident_who_fits_breaks_nothing_and_works_at_home() -> None:
    mode, broken = hard_rules_broken(LOT, ANN, commitments=(), seats_free={}, now=MONDAY, policy=MatchPolicy())
    assert (mode, broken) == ("home", ())


def test_each_rule_is_named_when_broken() -> None:
    assert _rules(resident=replace(ANN, skills={"sewing": 3})) == ["skill"]
    assert _rules(lot=replace(LOT, min_level=3)) == ["level"]
    assert _rules(lot=replace(LOT, take_home_allowed=False)) == ["work_mode"]
    onsite = replace(ANN, work_mode="onsite")
    assert _rules(lot=replace(LOT, take_home_allowed=False), resident=onsite, seats=0) == ["seat"]
    assert _rules(plate=(_held("A", 600, 5),)) == ["time"]
    assert _rules(plate=(_held("A", 1, 30), _held("B", 1, 30))) == ["open_lots"]
    assert set(HARD_RULES) == {"skill", "level", "work_mode", "seat", "time", "open_lots"}


def test_time_is_earliest_due_first_so_a_small_early_lot_fits_before_a_held_later_one() -> None:
    early = replace(LOT, lot_id="E", pieces=50, due_at=MONDAY + timedelta(days=2))  # 200 minutes by day 2
    assert _rules(early, plate=(_held("A", 600, 5),)) == []  # 200 <= 360 by day 2, 800 <= 900 by day 5
    later = replace(early, lot_id="F", due_at=MONDAY + timedelta(days=3))
    roomy = replace(ANN, max_open_lots=3)
    assert _rules(later, roomy, plate=(_held("A", 600, 5), _held("E", 200, 2))) == ["time"]  # 1000 > 900 by day 5


def test_the_lot_s_own_pending_offer_is_counted_once() -> None:
    offered = Commitment(lot_id="L1", due_at=LOT.due_at, minutes=600, kind="offered")
    assert _rules(plate=(offered,)) == []
