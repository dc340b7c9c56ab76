"""The simulator leaves work for the person trying the demo, and keeps a real day's pay believable."""

from __future__ import annotations

from datetime import UTC, date, datetime

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


def test_every_hand_in_and_lot_of_the_resident_left_for_people_waits_for_their_coordinator() -> None:
    """What she hands in on her phone waits for 验收, and her accepted lots for 发料: the person trying the demo follows
    her own lot through (a trial saw her hand-in inspected in coord1's name a second after she sent it)."""
    sim = Simulator(api="http://127.0.0.1:9")  # never called here
    [resident] = sim.for_people
    assert all(sim.left_for_people({"id": f"sub-{n:04x}", "resident_id": resident}) for n in range(200))
    assert all(sim.issue_left_for_people({"id": f"lot-{n:04x}", "resident_id": resident}) for n in range(200))


def test_nobody_works_more_in_a_real_day_than_their_longest_day_however_fast_simulated_days_run() -> None:
    now = [datetime(2026, 12, 1, 2, 0, tzinfo=UTC)]  # 10:00 in Shanghai
    sim = Simulator(api="http://127.0.0.1:9", clock=lambda: now[0])
    resident = next(r for r in sim.plan.residents if r.availability)
    longest = max(sum(e - s for d, s, e in resident.availability if d == day) for day in range(7))
    assert sim.minutes_left_today(resident.resident_id) == longest
    sim.worked[(resident.resident_id, date(2026, 12, 1))] = longest - 30
    assert sim.minutes_left_today(resident.resident_id) == 30  # what is left of today
    now[0] = datetime(2026, 12, 1, 16, 30, tzinfo=UTC)  # 00:30 the next day in Shanghai: a new day's hours
    assert sim.minutes_left_today(resident.resident_id) == longest
