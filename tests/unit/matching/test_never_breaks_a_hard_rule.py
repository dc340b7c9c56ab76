"""Whatever the batch, no proposal breaks skill, mode, seat, time, lot-limit or exclusion rules."""

from hypothesis import given, settings
from matching_strategies import batches

from domain.matching.audit import violations
from domain.matching.baseline import greedy
from domain.matching.solver import match
from domain.matching.synthetic import Instance, random_instance


@settings(max_examples=100, deadline=None)
@given(batches(max_lots=6, max_residents=6))
def test_match_never_breaks_a_hard_rule(batch: Instance) -> None:
    result = match(lots=batch.lots, residents=batch.residents, sites=batch.sites, now=batch.now)
    assert violations(result, lots=batch.lots, residents=batch.residents, sites=batch.sites, now=batch.now) == []


@settings(max_examples=100, deadline=None)
@given(batches(max_lots=6, max_residents=6))
def test_greedy_never_breaks_a_hard_rule(batch: Instance) -> None:
    result = greedy(lots=batch.lots, residents=batch.residents, sites=batch.sites, now=batch.now)
    assert violations(result, lots=batch.lots, residents=batch.residents, sites=batch.sites, now=batch.now) == []


def test_a_large_synthetic_batch_breaks_no_rule() -> None:
    batch = random_instance(7, n_lots=300, n_residents=2000, residents_per_community=200)
    result = match(lots=batch.lots, residents=batch.residents, sites=batch.sites, now=batch.now)
    assert len(result.proposals) > 100
    assert violations(result, lots=batch.lots, residents=batch.residents, sites=batch.sites, now=batch.now) == []
