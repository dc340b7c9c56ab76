"""The simulator's residents work only in their own hours, at their own speed, and every community gets its turn."""

from __future__ import annotations

from services.demo.city import TRAIT_RANGES, build_sized_city
from services.demo.simulator import SLOTS, Simulator


def simulator(**kw: object) -> Simulator:
    return Simulator(api="http://127.0.0.1:9", **kw)  # type: ignore[arg-type]  # never called in these tests


def test_a_parent_on_the_school_run_has_no_time_in_the_evening_or_at_the_weekend() -> None:
    sim = simulator(size="community", seed=3)
    parent = next(r for r in sim.plan.residents if sim.plan.traits[r.resident_id].kind == "parent")
    sim.tick_no = 0  # Monday morning
    assert sim.minutes_free(parent.resident_id) == 3 * 60  # 9:00-12:00 of the 8:00-12:00 slot
    sim.tick_no = 2  # Monday evening
    assert sim.minutes_free(parent.resident_id) == 0
    sim.tick_no = 5 * len(SLOTS)  # Saturday morning
    assert sim.minutes_free(parent.resident_id) == 0


def test_traits_stay_within_their_kind_s_ranges() -> None:
    plan = build_sized_city("community", seed=11)
    for trait in plan.traits.values():
        speed, defects, acceptance = TRAIT_RANGES[trait.kind]
        assert speed[0] <= trait.speed <= speed[1]
        assert defects[0] <= trait.defect_rate <= defects[1]
        assert acceptance[0] <= trait.acceptance <= acceptance[1]


def test_a_large_city_is_driven_a_batch_of_communities_at_a_time_and_every_one_gets_a_turn() -> None:
    sim = simulator(size="city", seed=1, communities_per_tick=10)
    turns: list[str] = []
    for tick in range(3):
        sim.tick_no = tick
        turns += sim.turn()
        assert len(sim.turn()) == 10
    assert set(turns) == set(sim.communities)  # 26 communities, 30 turns in 3 ticks
    assert len(simulator(size="demo").turn()) == 2  # a small city moves whole every tick
    assert sim.coordinator["comm-026"] == "coord26"


def test_a_bulk_loaded_city_answers_through_the_coordinator_for_those_without_a_sign_in() -> None:
    sim = simulator(size="city", seed=1, bulk_loaded=True)
    assert len(sim.logins) <= 5 * len(sim.communities) < len(sim.plan.residents)
