"""The matcher finds the best total value, the same one exhaustive search and an ILP find."""

import pytest
from hypothesis import given, settings
from matching_strategies import batches

from domain.matching.baseline import brute_force, greedy
from domain.matching.reference import optimum
from domain.matching.solver import match
from domain.matching.synthetic import Instance, random_instance


@settings(max_examples=120, deadline=None)
@given(batches(max_lots=4, max_residents=4))
def test_equals_the_brute_force_optimum_on_small_batches(batch: Instance) -> None:
    kwargs = dict(lots=batch.lots, residents=batch.residents, sites=batch.sites, now=batch.now)
    best = brute_force(**kwargs)
    assert match(**kwargs).objective == pytest.approx(best.objective, rel=1e-7, abs=1e-7)
    assert greedy(**kwargs).objective <= best.objective + 1e-7


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_equals_the_integer_programming_optimum_on_medium_batches(seed: int) -> None:
    batch = random_instance(seed, n_lots=40, n_residents=150, residents_per_community=50)
    kwargs = dict(lots=batch.lots, residents=batch.residents, sites=batch.sites, now=batch.now)
    assert match(**kwargs).objective == pytest.approx(optimum(**kwargs), rel=1e-7)
