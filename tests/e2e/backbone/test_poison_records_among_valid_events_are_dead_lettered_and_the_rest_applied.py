"""Issue 20, faults 1 and 2: one malformed record never stops pay or splitting.

Poison records of every kind a decoder may not foresee go onto the work and orders topics between valid
events (orders posted, lots worked and inspected through the API). Every valid event is applied exactly once,
every poison record is in the dead-letter table with its reason, topic and offset, and no consumer stalls.
"""

from __future__ import annotations

from sqlmodel import select

from bench.chaos_checks import Inputs, assert_nothing_lost_nothing_twice, settled
from bench.chaos_faults import poison, send
from bench.workload import post_orders, run_work
from services.harness import System, wait_until
from store.db import reading
from store.tables import DeadLetter


def test_poison_on_the_work_and_orders_topics_is_dead_lettered_and_every_valid_event_applied_once(
        system: System) -> None:
    inputs = Inputs()
    post_orders(system, 1, inputs)
    wait_until(lambda: bool(system.call("GET", "/api/v1/offers", "coord1", params={"status": "pending"}).json()),
               timeout=60, what="the first offer", system=system)
    run_work(system, inputs, seconds=5)  # inspections are on the work topic before the poison
    bad = [(topic, key, value) for topic in ("mf.work.v1", "mf.orders.v1") for key, value in poison(topic)]
    send(system.settings.bootstrap, bad)  # the kinds of bench/chaos_faults.py: see poison()
    post_orders(system, 2, inputs)  # valid events after the poison on both topics
    run_work(system, inputs, seconds=12)
    assert len(inputs.inspections) >= 2 and len(inputs.orders) == 3

    wait_until(lambda: settled(system.engine), timeout=90, what="every valid event applied", system=system)
    assert_nothing_lost_nothing_twice(system.engine, inputs)  # orders split, inspections paid, each once

    def dead_letters() -> list[DeadLetter]:
        with reading(system.engine) as session:
            return list(session.exec(select(DeadLetter)).all())

    wait_until(lambda: {(r.topic, r.raw) for r in dead_letters()} >= {(t, v or b"") for t, _, v in bad},
               timeout=30, what="every poison record dead-lettered", system=system)
    for row in dead_letters():
        assert row.reason.strip() and row.offset >= 0 and row.partition >= 0, row
    reasons = {r.reason for r in dead_letters()}
    assert "work.inspection_recorded: schema_version: must be a positive integer, got 'x'" in reasons
    assert any(r.startswith("lot.created belongs on mf.lots.v1") for r in reasons)

    def healthy() -> bool:
        reply = system.api.get("/health").json()
        return reply["status"] == "ok" and all(c["lag"] == 0 for c in reply["broker"]["consumers"])
    wait_until(healthy, timeout=60, what="/health ok with no lag after the poison", system=system)
