"""Between residents equally able to do a lot, the one who earned least this period gets it."""

from matching_strategies import NOW

from domain.matching.model import LotNeed, ResidentState
from domain.matching.solver import match

EVERY_DAY = tuple((d, 480, 1080) for d in range(7))
LOT = LotNeed("L1", "O1", "C1", "beading", 1, 40, NOW.replace(day=27), True, None, 2.0, 30)


def _resident(rid: str, earned: int, *, priority: bool = False) -> ResidentState:
    return ResidentState(
        rid,
        "C1",
        {"beading": 2},
        "home",
        frozenset(),
        EVERY_DAY,
        earned_this_period_fen=earned,
        priority_group=priority,
    )


def test_prefers_the_resident_who_earned_least() -> None:
    people = [_resident("a", 80_000), _resident("b", 5_000), _resident("c", 40_000)]
    [offer] = match(lots=[LOT], residents=people, sites=[], now=NOW).proposals
    assert offer.resident_id == "b"
    assert "least_earned" in [r.code for r in offer.reasons]


def test_prefers_a_priority_group_member_when_earnings_are_equal() -> None:
    people = [_resident("a", 10_000), _resident("b", 10_000, priority=True)]
    [offer] = match(lots=[LOT], residents=people, sites=[], now=NOW).proposals
    assert offer.resident_id == "b"
    assert "priority_group" in [r.code for r in offer.reasons]


def test_spreads_lots_so_both_residents_get_work() -> None:
    lots = [LOT, LotNeed("L2", "O1", "C1", "beading", 1, 40, NOW.replace(day=27), True, None, 2.0, 30)]
    people = [_resident("a", 0), _resident("b", 90_000)]
    result = match(lots=lots, residents=people, sites=[], now=NOW)
    assert sorted(p.resident_id for p in result.proposals) == ["a", "b"]
