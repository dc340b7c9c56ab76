"""Residents who declined, let expire or were withdrawn from a lot are never offered it again."""

from dataclasses import replace

from hypothesis import given, settings
from matching_strategies import NOW, batches

from domain.matching.model import LotNeed, ResidentState, SiteState
from domain.matching.solver import match
from domain.matching.synthetic import Instance

EVERY_DAY = tuple((d, 480, 1080) for d in range(7))


@settings(max_examples=80, deadline=None)
@given(batches(max_lots=6, max_residents=6))
def test_never_offers_a_lot_to_an_excluded_resident(batch: Instance) -> None:
    result = match(lots=batch.lots, residents=batch.residents, sites=batch.sites, now=batch.now)
    excluded = {x.lot_id: x.excluded_resident_ids for x in batch.lots}
    assert all(p.resident_id not in excluded[p.lot_id] for p in result.proposals)


def test_offers_the_lot_to_the_next_best_resident_after_a_decline() -> None:
    lot = LotNeed("L1", "O1", "C1", "sewing", 1, 10, NOW.replace(day=27), True, None, 2.0, 50)
    ann = ResidentState("ann", "C1", {"sewing": 2}, "home", frozenset(), EVERY_DAY, earned_this_period_fen=0)
    bob = ResidentState("bob", "C1", {"sewing": 2}, "home", frozenset(), EVERY_DAY, earned_this_period_fen=90_000)
    declined = replace(lot, excluded_resident_ids=frozenset({"ann"}))
    sites: list[SiteState] = []
    assert match(lots=[lot], residents=[ann, bob], sites=sites, now=NOW).proposals[0].resident_id == "ann"
    assert match(lots=[declined], residents=[ann, bob], sites=sites, now=NOW).proposals[0].resident_id == "bob"
    alone = match(lots=[declined], residents=[ann], sites=sites, now=NOW)
    assert [u.reason_code for u in alone.unmatched] == ["all_candidates_excluded"]
