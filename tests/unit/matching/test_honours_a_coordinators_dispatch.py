"""A lot a coordinator dispatched by hand goes to that resident, unless a hard rule forbids it."""

from hypothesis import given, settings
from matching_strategies import NOW, batches

from domain.matching.model import LotNeed, ResidentState, SiteState
from domain.matching.solver import match
from domain.matching.synthetic import Instance

EVERY_DAY = tuple((d, 480, 1080) for d in range(7))


def _lot(lot_id: str, pinned: str | None) -> LotNeed:
    return LotNeed(lot_id, "O1", "C1", "beading", 1, 20, NOW.replace(day=27), True, "S1", 2.0, 30, pinned)


def test_dispatch_overrides_who_the_matcher_would_pick() -> None:
    poor = ResidentState("poor", "C1", {"beading": 2}, "home", frozenset(), EVERY_DAY, earned_this_period_fen=0)
    rich = ResidentState("rich", "C1", {"beading": 2}, "home", frozenset(), EVERY_DAY, earned_this_period_fen=500_000)
    result = match(lots=[_lot("L1", "rich")], residents=[poor, rich], sites=[SiteState("S1", 0)], now=NOW)
    [offer] = result.proposals
    assert offer.resident_id == "rich"
    assert offer.reasons[0].code == "dispatched_by_coordinator"


def test_a_resident_may_be_dispatched_several_lots_when_they_all_fit() -> None:
    ann = ResidentState("ann", "C1", {"beading": 2}, "home", frozenset(), EVERY_DAY, max_open_lots=3)
    lots = [_lot("L1", "ann"), _lot("L2", "ann"), _lot("L3", None)]
    result = match(lots=lots, residents=[ann], sites=[], now=NOW)
    assert sorted(p.lot_id for p in result.proposals) == ["L1", "L2", "L3"]


def test_dispatch_that_breaks_a_rule_is_reported_not_forced() -> None:
    ann = ResidentState("ann", "C1", {"sewing": 2}, "home", frozenset(), EVERY_DAY)
    result = match(lots=[_lot("L1", "ann")], residents=[ann], sites=[], now=NOW)
    assert result.proposals == ()
    assert [u.reason_code for u in result.unmatched] == ["no_skilled_resident"]
    unknown = match(lots=[_lot("L1", "zoe")], residents=[ann], sites=[], now=NOW)
    assert [u.reason_code for u in unknown.unmatched] == ["pinned_resident_unknown"]


@settings(max_examples=80, deadline=None)
@given(batches(max_lots=5, max_residents=5))
def test_dispatched_lots_go_to_the_named_resident_or_nobody(batch: Instance) -> None:
    result = match(lots=batch.lots, residents=batch.residents, sites=batch.sites, now=batch.now)
    pinned = {x.lot_id: x.pinned_resident_id for x in batch.lots if x.pinned_resident_id}
    for offer in result.proposals:
        if offer.lot_id in pinned:
            assert offer.resident_id == pinned[offer.lot_id]
            assert offer.reasons[0].code == "dispatched_by_coordinator"
