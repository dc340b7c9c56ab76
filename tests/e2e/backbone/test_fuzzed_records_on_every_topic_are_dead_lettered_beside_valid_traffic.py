"""Issue 20: some 360 random and adversarial records (hypothesis) on every consumed topic of the running
system, beside valid traffic through the API: every valid event applied once, every bad record dead-lettered
with a reason, no consumer stalled, the ledger reconciled."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from bench.chaos_checks import Inputs, assert_nothing_lost_nothing_twice, settled
from bench.chaos_faults import poison, send
from bench.workload import post_orders, run_work
from schemas.catalogue import CATALOGUE
from services.harness import System, wait_until
from store.db import reading
from store.tables import DeadLetter

TOPICS = [spec.name for spec in CATALOGUE if spec.consumers]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10)
# Nothing here can be a valid event (an event needs a known type tag and a dozen typed fields), so every record
# must end up as a dead letter.
bad_values = st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode()) | \
    st.dictionaries(st.sampled_from(["type", "schema_version", "event_id", "key"]), json_values, min_size=1).map(
        lambda d: json.dumps(d).encode())
record = st.tuples(st.sampled_from(TOPICS), st.sampled_from([b"comm-001", b"\xff", b""]), bad_values)


def fuzzed_records(examples: int = 12, each: int = 30) -> list[tuple[str, bytes, bytes]]:
    """Hypothesis's examples, collected: its first is the simplest possible (all empty), the rest are varied."""
    found: list[tuple[str, bytes, bytes]] = []

    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(st.lists(record, min_size=each, max_size=each))
    def collect(batch: list[tuple[str, bytes, bytes]]) -> None:
        found.extend(batch)

    collect()
    return found


def test_fuzzed_records_on_every_topic_are_dead_lettered_and_valid_work_is_paid_once(system: System) -> None:
    fuzzed = fuzzed_records()
    assert len({value for _, _, value in fuzzed}) > 100 and {topic for topic, _, _ in fuzzed} == set(TOPICS)
    inputs = Inputs()
    post_orders(system, 1, inputs)
    wait_until(lambda: bool(system.call("GET", "/api/v1/offers", "coord1", params={"status": "pending"}).json()),
               timeout=60, what="the first offer", system=system)
    adversarial = [(topic, key, value) for topic in TOPICS for key, value in poison(topic)]
    send(system.settings.bootstrap, fuzzed[:150] + adversarial)
    post_orders(system, 1, inputs)
    run_work(system, inputs, seconds=6)
    send(system.settings.bootstrap, fuzzed[150:])
    run_work(system, inputs, seconds=8)
    assert inputs.inspections

    wait_until(lambda: settled(system.engine), timeout=90, what="every valid event applied", system=system)
    assert_nothing_lost_nothing_twice(system.engine, inputs)

    def dead_lettered() -> set[tuple[str, bytes]]:
        with reading(system.engine) as session:
            return {(r.topic, r.raw) for r in session.exec(select(DeadLetter)).all() if r.reason.strip()}

    expected = {(topic, value or b"") for topic, _, value in fuzzed + adversarial}
    wait_until(lambda: dead_lettered() >= expected, timeout=60, what="every bad record dead-lettered", system=system)

    def no_lag(body: dict[str, Any]) -> bool:
        return body["status"] == "ok" and all(c["lag"] == 0 for c in body["broker"]["consumers"])
    wait_until(lambda: no_lag(system.api.get("/health").json()), timeout=60, what="/health ok, nothing behind",
               system=system)
