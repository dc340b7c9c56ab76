"""Issue 20, faults 1 and 2: one malformed record never stops pay or splitting.

Poison records of every kind a decoder may not foresee go onto the work and orders topics between valid
events (orders posted, lots worked and inspected through the API). Every valid event is applied exactly once,
every poison record is in the dead-letter table with its reason, topic and offset, and no consumer stalls.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from uuid import uuid4

from kafka import KafkaProducer
from sqlmodel import select

from bench.chaos_checks import Inputs, assert_nothing_lost_nothing_twice, settled
from bench.workload import post_orders, run_work
from schemas.envelope import encode
from schemas.events.orders import LotCreated
from services.harness import System, wait_until
from store.db import reading
from store.tables import DeadLetter


def poison(topic: str) -> list[tuple[bytes | None, bytes | None]]:
    """(key, value) of records no consumer can apply; each value names its topic, so every one is told apart."""
    tag = topic.encode()
    issue_20 = {"event_id": str(uuid4()), "type": "work.inspection_recorded", "schema_version": "x",
                "occurred_at": "2026-11-29T08:00:00+00:00", "key": "comm-001", "producer": topic,
                "inspection_id": "ins-x", "submission_id": "sub-x", "lot_id": "lot-x", "resident_id": "comm-001-r001",
                "passed": 5, "rejected": 0, "defect_codes": [], "actor": "coord1"}
    elsewhere = LotCreated(event_id=uuid4(), occurred_at=datetime.now(UTC), key="comm-001", producer=topic,
                           lot_id="o-L001", order_id="o", lot_no=1, pieces=60, due_at=datetime(2027, 1, 1, tzinfo=UTC))
    values = [
        json.dumps(issue_20).encode(),  # the record of the issue: a version that is not a number
        b"[" * 50_000 + tag,  # RecursionError in Python's json
        b'{"type": "work.inspection_recorded", "passed": ' + b"9" * 5000 + b', "t": "' + tag + b'"}',  # int limit
        b"\xff\xfe" + tag,  # not UTF-8
        b'["' + tag + b'"]',  # JSON, not an object
        b'{"type": ["' + tag + b'"]}',  # a type tag that is not a string
        b'{"type": "order.teleported", "t": "' + tag + b'"}',  # an unknown type
        encode(elsewhere).replace(b'"producer":"', b'"producer":"x', 1) if topic != "mf.lots.v1" else b"",
    ]
    records: list[tuple[bytes | None, bytes | None]] = [(b"comm-001", v) for v in values if v]
    records.append((b"\xff\xfe-" + tag, b"not json " + tag))  # a key that is not UTF-8 either
    return records


def send(system: System, records: list[tuple[str, bytes | None, bytes | None]]) -> None:
    producer = KafkaProducer(bootstrap_servers=system.settings.bootstrap)
    for topic, key, value in records:
        producer.send(topic, key=key, value=value)
    producer.flush()
    producer.close()


def test_poison_on_the_work_and_orders_topics_is_dead_lettered_and_every_valid_event_applied_once(
        system: System) -> None:
    inputs = Inputs()
    post_orders(system, 1, inputs)
    wait_until(lambda: bool(system.call("GET", "/api/v1/offers", "coord1", params={"status": "pending"}).json()),
               timeout=60, what="the first offer", system=system)
    run_work(system, inputs, seconds=5)  # inspections are on the work topic before the poison
    bad = [(topic, key, value) for topic in ("mf.work.v1", "mf.orders.v1") for key, value in poison(topic)]
    send(system, bad)
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
