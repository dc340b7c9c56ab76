"""A lot is offered to one resident at most, and every lot is either offered or explained."""

from collections import Counter

from hypothesis import given, settings
from matching_strategies import batches

from domain.matching.solver import match
from domain.matching.synthetic import Instance


@settings(max_examples=80, deadline=None)
@given(batches(max_lots=6, max_residents=6))
def test_offers_each_lot_to_at_most_one_resident(batch: Instance) -> None:
    result = match(lots=batch.lots, residents=batch.residents, sites=batch.sites, now=batch.now)
    offered = Counter(p.lot_id for p in result.proposals)
    assert all(n == 1 for n in offered.values())
    assert set(offered) | {u.lot_id for u in result.unmatched} == {x.lot_id for x in batch.lots}
    assert not set(offered) & {u.lot_id for u in result.unmatched}


@settings(max_examples=80, deadline=None)
@given(batches(max_lots=6, max_residents=6))
def test_gives_each_resident_at_most_one_new_lot_besides_dispatches(batch: Instance) -> None:
    result = match(lots=batch.lots, residents=batch.residents, sites=batch.sites, now=batch.now)
    pinned = {x.lot_id for x in batch.lots if x.pinned_resident_id}
    new = Counter(p.resident_id for p in result.proposals if p.lot_id not in pinned)
    assert all(n == 1 for n in new.values())
