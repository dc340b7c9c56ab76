"""Between residents equally able to do a lot, the one furthest below their fair share gets it.

Fair share is income per hour offered this period, against neighbours with the same skill: a retiree who
offers 30 hours and earned more in all can still be further below it than a parent who offers 8.
"""

from matching_strategies import NOW

from domain.matching.model import LotNeed, MatchPolicy, ResidentState
from domain.matching.solver import match

EVERY_DAY = tuple((d, 480, 1080) for d in range(7))
LOT = LotNeed("L1", "O1", "C1", "beading", 1, 40, NOW.replace(day=27), True, None, 2.0, 30)


def _resident(rid: str, earned: int, offered: float = 600.0, *, priority: bool = False) -> ResidentState:
    return ResidentState(
        rid,
        "C1",
        {"beading": 2},
        "home",
        frozenset(),
        EVERY_DAY,
        earned_this_period_fen=earned,
        priority_group=priority,
        offered_minutes_this_period=offered,
    )


def test_prefers_the_lowest_income_per_offered_hour_not_the_lowest_income() -> None:
    retiree = _resident("retiree", 30_000, offered=30 * 60)  # 1,000 fen an hour offered
    parent = _resident("parent", 20_000, offered=8 * 60)  # 2,500 fen an hour offered
    [offer] = match(lots=[LOT], residents=[parent, retiree], sites=[], now=NOW).proposals
    assert offer.resident_id == "retiree"
    assert "below_fair_share" in [r.code for r in offer.reasons]


def test_without_the_fairness_weight_the_list_order_decides_a_tie() -> None:
    retiree = _resident("retiree", 30_000, offered=30 * 60)
    parent = _resident("parent", 20_000, offered=8 * 60)
    policy = MatchPolicy(fairness_weight=0.0)
    [offer] = match(lots=[LOT], residents=[parent, retiree], sites=[], now=NOW, policy=policy).proposals
    assert "below_fair_share" not in [r.code for r in offer.reasons]


def test_someone_passed_over_so_far_comes_before_everyone_who_earned() -> None:
    people = [_resident("a", 80_000), _resident("b", 0), _resident("c", 40_000)]
    [offer] = match(lots=[LOT], residents=people, sites=[], now=NOW).proposals
    assert offer.resident_id == "b"


def test_prefers_a_priority_group_member_when_shares_are_equal() -> None:
    people = [_resident("a", 10_000), _resident("b", 10_000, priority=True)]
    [offer] = match(lots=[LOT], residents=people, sites=[], now=NOW).proposals
    assert offer.resident_id == "b"
    assert "priority_group" in [r.code for r in offer.reasons]


def test_spreads_lots_so_both_residents_get_work() -> None:
    lots = [LOT, LotNeed("L2", "O1", "C1", "beading", 1, 40, NOW.replace(day=27), True, None, 2.0, 30)]
    people = [_resident("a", 0), _resident("b", 90_000)]
    result = match(lots=lots, residents=people, sites=[], now=NOW)
    assert sorted(p.resident_id for p in result.proposals) == ["a", "b"]
