"""The simulator leaves a resident's work and half of the first community's inspections to the person trying it."""

from __future__ import annotations

from services.demo.simulator import Simulator


def test_one_resident_and_half_the_first_community_s_hand_ins_are_left_for_people() -> None:
    sim = Simulator(api="http://127.0.0.1:9")  # never called here
    first, second = sim.communities[0], sim.communities[1]
    [resident] = sim.for_people
    assert sim.people[resident].community_id == first and resident in sim.logins  # they can sign in and do it
    here = [r.resident_id for r in sim.plan.residents if r.community_id == first]
    there = [r.resident_id for r in sim.plan.residents if r.community_id == second]
    subs = [{"id": f"sub-{n:04x}", "resident_id": here[n % len(here)]} for n in range(200)]
    left = [s for s in subs if sim.left_for_people(s)]
    assert 60 < len(left) < 140  # about half of the first community's queue waits for its coordinator
    assert left == [s for s in subs if sim.left_for_people(s)]  # the same half every tick
    assert not any(sim.left_for_people({"id": f"sub-{n:04x}", "resident_id": there[0]}) for n in range(200))
