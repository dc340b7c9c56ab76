"""Pay latency: from an inspection the API accepted (HTTP 201) to the earning visible through the API.

Measured on the embedded default (broker, relay, one worker, API as processes) while background
inspections are fed into the outbox at ~1,000 events a second. The probe resident's lot is
never touched by the background load, so each probe waits for exactly its own earning.
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from bench.backbone import applied, new_system, start_workers
from bench.pg_upkeep import upkeep
from bench.work_world import build_work, feed_outbox
from services.harness import System, scratch_postgres
from store.db import reading
from store.tables import AppliedEvent, OutboxEvent

PROBE = "comm-001-r001"
COORDINATOR = "coord1"
BACKGROUND_PER_S = 1000
TICK_S = 0.1


class Feeder(threading.Thread):
    """Records background inspections in the outbox at a steady rate, as a busy city's API would."""

    def __init__(self, system: System, rows: list[dict[str, Any]]) -> None:
        super().__init__(daemon=True)
        self.system, self.rows, self.stop = system, rows, threading.Event()
        self.fed = 0

    def run(self) -> None:
        per_tick = int(BACKGROUND_PER_S * TICK_S)
        next_at = time.monotonic()
        while not self.stop.is_set() and self.fed < len(self.rows):
            feed_outbox(self.system.engine, self.rows[self.fed:self.fed + per_tick])
            self.fed += per_tick
            next_at += TICK_S
            time.sleep(max(0.0, next_at - time.monotonic()))


def probe(system: System, lot_id: str, want_fen: int, *, wait_s: float = 30) -> float:
    """Submit and inspect 2 pieces through the API; seconds from the 201 until the earnings reach `want_fen`."""
    reply = system.call("POST", f"/api/v1/residents/{PROBE}/submissions", COORDINATOR,
                        json={"lot_id": lot_id, "pieces": 2})
    assert reply.status_code == 201, reply.text
    reply = system.call("POST", "/api/v1/inspections", COORDINATOR,
                        json={"submission_id": reply.json()["submission_id"], "passed": 2, "rejected": 0})
    assert reply.status_code == 201, reply.text
    accepted = time.perf_counter()
    while time.perf_counter() - accepted < wait_s:
        if system.call("GET", f"/api/v1/residents/{PROBE}/earnings", COORDINATOR).json()["total_fen"] >= want_fen:
            break
        time.sleep(0.005)
    return time.perf_counter() - accepted  # a probe that waited wait_s counts as wait_s: never dropped


def run(quick: bool = False) -> dict[str, Any]:
    """p50 and p99 of the pay latency under background load, on the embedded default (SQLite)."""
    with tempfile.TemporaryDirectory() as tmp:
        return measure(Path(tmp), quick)


def run_postgres(quick: bool = False) -> dict[str, Any]:
    """The same on PostgreSQL (issue 19): pg_pay_latency_p50_ms, pg_pay_latency_p99_ms."""
    with tempfile.TemporaryDirectory() as tmp, scratch_postgres("mf_bench") as url, upkeep(url):
        return {f"pg_{k}": v for k, v in measure(Path(tmp), quick, database_url=url).items()}


def measure(tmp: Path, quick: bool, database_url: str | None = None) -> dict[str, Any]:
    """Probe the pay latency of a system in `tmp` (on `database_url` when given) under the background load."""
    samples, budget_s = (60, 60.0) if quick else (300, 150.0)  # a worker that falls behind must not stall the run
    system = new_system(tmp, database_url=database_url)
    try:
        work = build_work(system.engine, system.settings, inspections=int(BACKGROUND_PER_S * (budget_s + 10)),
                          seed=13, record=False, idle=frozenset({PROBE}))
        start_workers(system, 1)
        system.start("relay")
        system.start("api")
        feeder = Feeder(system, work.outbox)
        feeder.start()
        time.sleep(3)  # the background load reaches its steady rate
        lot_id = work.lots[PROBE]
        rate = work.rate_of_lot[lot_id] + work.bonus_of_lot[lot_id]
        latencies = []
        load_from, t0 = applied(system), time.monotonic()
        while len(latencies) < samples and time.monotonic() - t0 < budget_s:
            latencies.append(probe(system, lot_id, 2 * rate * (len(latencies) + 1)) * 1000)
            time.sleep(0.05)
        background = (applied(system) - load_from - len(latencies)) / (time.monotonic() - t0)
        feeder.stop.set()
        feeder.join(timeout=5)
        stages = probe_stages(system)
    finally:
        system.stop()
    cuts = statistics.quantiles(latencies, n=100)
    return {"pay_latency_p50_ms": round(statistics.median(latencies), 1), "pay_latency_p99_ms": round(cuts[98], 1),
            "pay_latency_samples": len(latencies), "pay_latency_background_events_per_s": round(background),
            "pay_latency_stages_ms": stages}


def probe_stages(system: System) -> dict[str, float]:
    """Where the probes' time went, from the database's own timestamps: the outbox row's commit to its publish
    (the relay's wait; marked after the broker's ack), and its publish to the earnings consumer's applied record
    (the broker, the fetch and the batch before it). p50 and p99 of each, in ms."""
    with reading(system.engine) as session:
        rows = session.exec(
            select(OutboxEvent.created_at, OutboxEvent.published_at, AppliedEvent.applied_at)
            .join(AppliedEvent, (col(AppliedEvent.event_id) == OutboxEvent.event_id)
                  & (col(AppliedEvent.consumer) == "earnings"))
            .where(OutboxEvent.type == "work.inspection_recorded", col(OutboxEvent.payload).contains(PROBE))).all()
    relay = [(p - c).total_seconds() * 1000 for c, p, _ in rows if p is not None]
    consume = [(a - p).total_seconds() * 1000 for _, p, a in rows if p is not None]
    out: dict[str, float] = {"probes": len(rows)}
    for name, values in (("relay", relay), ("broker_and_worker", consume)):
        if len(values) >= 2:
            cuts = statistics.quantiles(values, n=100)
            out[f"{name}_p50"], out[f"{name}_p99"] = round(statistics.median(values), 1), round(cuts[98], 1)
    return out
