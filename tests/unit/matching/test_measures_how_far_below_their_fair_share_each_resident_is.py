"""Fair share is income per offered hour of neighbours with the same skill; the matcher values the gap to it.

The solver computes the gap on arrays for whole batches; it must agree with the plain rule in
domain.matching.fairness, and the exhaustive optimum must still equal the solver at any fairness weight.
"""

from dataclasses import replace

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from matching_strategies import NOW, batches

from domain.matching import rules
from domain.matching.baseline import brute_force
from domain.matching.candidates import build_arcs
from domain.matching.fairness import neighbour_rates, shortfall
from domain.matching.model import LotNeed, MatchPolicy, ResidentState
from domain.matching.pinned import begin
from domain.matching.solver import match
from domain.matching.synthetic import Instance

EVERY_DAY = tuple((d, 480, 1080) for d in range(7))
LOT = LotNeed("L1", "O1", "C1", "beading", 1, 40, NOW.replace(day=27), True, None, 2.0, 30)


def _r(rid: str, earned: int, offered: float, skills: dict[str, int] | None = None, comm: str = "C1") -> ResidentState:
    return ResidentState(rid, comm, skills or {"sewing": 1}, "home", frozenset(), EVERY_DAY,
                         earned_this_period_fen=earned, offered_minutes_this_period=offered)


def test_the_neighbours_rate_is_their_income_over_the_hours_they_offered() -> None:
    people = [_r("a", 6_000, 120), _r("b", 0, 60), _r("c", 9_000, 60, comm="C2"), _r("d", 500, 0)]
    rates = neighbour_rates(people)
    assert rates[("C1", "sewing")] == pytest.approx(2_000)  # 6,000 fen over 3 hours; d offered no time
    assert rates[("C2", "sewing")] == pytest.approx(9_000)


def test_no_income_while_neighbours_earn_is_the_whole_share_short() -> None:
    people = [_r("a", 6_000, 120), _r("b", 0, 60)]
    rates = neighbour_rates(people)
    assert shortfall(people[1], "sewing", rates) == 1.0
    assert shortfall(people[0], "sewing", rates) == 0.0  # 3,000 an hour, above the pooled 2,000


def test_half_the_neighbours_rate_is_half_the_share_short() -> None:
    people = [_r("a", 3_000, 60), _r("b", 1_000, 60)]  # pooled 2,000 an hour; b earns 1,000
    assert shortfall(people[1], "sewing", neighbour_rates(people)) == pytest.approx(0.5)


def test_nobody_is_short_before_anyone_offered_time_or_earned() -> None:
    assert shortfall(_r("a", 0, 0), "sewing", neighbour_rates([_r("a", 0, 0)])) == 0.0
    people = [_r("a", 0, 60), _r("b", 0, 60)]
    assert shortfall(people[0], "sewing", neighbour_rates(people)) == 0.0


@example([(1, 4643.4037571911385)] * 3)  # found by Hypothesis: the pooled minutes summed a rounding error apart
@given(st.lists(st.tuples(st.integers(0, 100_000), st.floats(0, 10_000)), min_size=1, max_size=12))
def test_the_gap_is_a_fraction_and_someone_in_every_group_has_none(people: list[tuple[int, float]]) -> None:
    residents = [_r(f"R{i}", earned, offered) for i, (earned, offered) in enumerate(people)]
    rates = neighbour_rates(residents)
    gaps = [shortfall(r, "sewing", rates) for r in residents]
    assert all(0.0 <= g <= 1.0 for g in gaps)
    offering = [g for r, g in zip(residents, gaps, strict=True) if r.offered_minutes_this_period > 0]
    assert not offering or min(offering) == 0.0  # the best earner per hour is never below the pooled rate


@given(st.lists(st.integers(1, 200), min_size=1, max_size=12), st.integers(1, 5_000))
def test_income_in_proportion_to_time_offered_is_fair(hours: list[int], fen_per_hour: int) -> None:
    residents = [_r(f"R{i}", h * fen_per_hour, h * 60.0) for i, h in enumerate(hours)]
    rates = neighbour_rates(residents)
    assert all(shortfall(r, "sewing", rates) == pytest.approx(0.0, abs=1e-12) for r in residents)


@settings(max_examples=150, deadline=None)
@given(batches(max_lots=4, max_residents=5), st.sampled_from((0.0, 0.5, 1.0, 4.0)))
def test_the_array_path_values_every_pair_as_the_plain_rule_does(batch: Instance, weight: float) -> None:
    policy = MatchPolicy(fairness_weight=weight)
    now_min, placed, open_lots = begin(lots=batch.lots, residents=batch.residents, sites=batch.sites,
                                       now=batch.now, policy=policy)
    arcs = build_arcs(lots=open_lots, residents=batch.residents, loads=placed.loads, seats=placed.seats,
                      now_min=now_min, policy=policy)
    rates = neighbour_rates(batch.residents)
    for i in range(arcs.lot.size):
        lot, resident = open_lots[arcs.lot[i]], batch.residents[arcs.resident[i]]
        mode = "onsite" if arcs.onsite[i] else "home"
        assert arcs.shortfall[i] == pytest.approx(shortfall(resident, lot.skill, rates), abs=1e-9)
        assert arcs.value[i] == pytest.approx(
            rules.pair_value(lot, resident, mode, policy, now_min=now_min, rates=rates), rel=1e-9, abs=1e-9)


@settings(max_examples=120, deadline=None)
@given(batches(max_lots=4, max_residents=4), st.sampled_from((0.0, 2.0, 8.0)))
def test_equals_the_brute_force_optimum_at_any_fairness_weight(batch: Instance, weight: float) -> None:
    policy = MatchPolicy(fairness_weight=weight)
    kwargs = dict(lots=batch.lots, residents=batch.residents, sites=batch.sites, now=batch.now, policy=policy)
    assert match(**kwargs).objective == pytest.approx(brute_force(**kwargs).objective, rel=1e-7, abs=1e-7)


@settings(max_examples=150, deadline=None)
@given(batches(max_lots=4, max_residents=5))
def test_an_offer_says_its_resident_is_below_their_share_only_when_it_is_true(batch: Instance) -> None:
    result = match(lots=batch.lots, residents=batch.residents, sites=batch.sites, now=batch.now)
    rates = neighbour_rates(batch.residents)
    by_id = {r.resident_id: r for r in batch.residents}
    skill = {lot.lot_id: lot.skill for lot in batch.lots}
    for offer in result.proposals:
        for reason in offer.reasons:
            if reason.code == "below_fair_share":
                resident = by_id[offer.resident_id]
                assert shortfall(resident, skill[offer.lot_id], rates) > 0
                assert reason.param("hourly_fen") <= reason.param("neighbours_hourly_fen")


def test_a_resident_passed_over_in_a_batch_is_preferred_in_the_next() -> None:
    # Two equally able residents, one lot a batch: whoever got the last lot is above her share afterwards.
    a, b = _r("a", 0, 600, {"beading": 2}), _r("b", 0, 600, {"beading": 2})
    first = match(lots=[LOT], residents=[a, b], sites=[], now=NOW).proposals[0].resident_id
    paid = {"a": a, "b": b}
    paid[first] = replace(paid[first], earned_this_period_fen=LOT.pieces * LOT.piece_rate_centifen // 100)
    second = match(lots=[replace(LOT, lot_id="L2")], residents=[paid["a"], paid["b"]], sites=[], now=NOW)
    assert second.proposals[0].resident_id != first
    assert "below_fair_share" in [r.code for r in second.proposals[0].reasons]
