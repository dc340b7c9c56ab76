"""How far it scales: the worker's peak memory at the city size, and two workers paying exactly what one pays.

worker_peak_rss_mb: the city (104 micro-factories, 5,200 residents) bulk-loaded, every resident
with a lot in work, inspections injected through the outbox while the simulator drives the API;
the worker's process tree is sampled (VmRSS) and its own high-water mark (VmHWM) read at the end.
scale_out_ok: a simulated month of seeded inspections, with corrections, processed once by one
worker and once by two sharing the partitions in one consumer group; the ledgers must be
identical to the fen, entry by entry, and both workers must have applied part of the work.
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from sqlmodel import select

from bench.backbone import new_system, start_workers, wait_applied
from bench.work_world import build_work
from services.demo.city import build_sized_city
from services.demo.simulator import Simulator
from services.harness import System
from store.db import reading
from store.tables import LedgerEntry, WorkerBeat
from usecases.inline import pump
from usecases.reconcile import reconcile


def tree_kib(pid: int, field: str = "VmRSS") -> int:
    """Sum of `field` (kB) over a process and its descendants, from /proc."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith(field + ":"))
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            continue
    return total


def worker_peak_rss(quick: bool = False, *, size: str = "city") -> dict[str, Any]:
    """Peak resident memory of the worker at a city of `size` (services.demo.city.SIZES) under injected load and
    the simulator."""
    inspections, sim_s = (10_000, 15.0) if quick else (50_000, 45.0)
    with tempfile.TemporaryDirectory() as tmp:
        system = new_system(Path(tmp))
        peak, stop = 0, threading.Event()
        try:
            build_work(system.engine, system.settings, inspections=inspections, seed=17,
                       plan=build_sized_city(size, seed=17))
            start_workers(system, 1)
            pid = system.procs["worker-1"].pid

            def sample() -> None:
                nonlocal peak
                while not stop.is_set():
                    peak = max(peak, tree_kib(pid))
                    time.sleep(0.25)
            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            system.start("relay")
            system.start("api")
            sim = Simulator(api=f"http://127.0.0.1:{system.api_port}", size=size, seed=17, bulk_loaded=True,
                            communities_per_tick=2)
            until = time.monotonic() + sim_s
            while time.monotonic() < until:
                try:
                    sim.tick()
                except httpx.HTTPError:  # the simulator is load here, not the thing measured
                    sim.tick_no += 1
            wait_applied(system, inspections, timeout=60 + inspections / 200)
            peak = max(peak, tree_kib(pid), tree_kib(pid, "VmHWM"))
        finally:
            stop.set()
            system.stop()
    return {"worker_peak_rss_mb": round(peak / 1024, 1), "worker_rss_inspections": inspections,
            "worker_rss_simulator_ticks": sim.tick_no}


def month_ledger(workers: int, *, inspections: int,
                 seed: int) -> tuple[list[tuple[Any, ...]], dict[str, dict[str, Any]], bool]:
    """Process the seeded month with this many workers: the ledger, what each worker applied, reconcile's verdict."""
    with tempfile.TemporaryDirectory() as tmp:
        system = new_system(Path(tmp))
        try:
            build_work(system.engine, system.settings, inspections=inspections, seed=seed, corrections_every=25)
            start_workers(system, workers)
            system.start("relay")
            wait_applied(system, inspections, timeout=120 + inspections / 100)
            time.sleep(2)  # one more heartbeat, so each worker's applied total is on record
            return ledger(system), applied_by_worker(system), reconcile(system.engine) == []
        finally:
            system.stop()


def inline_month_ledger(*, inspections: int, seed: int) -> tuple[list[tuple[Any, ...]], bool]:
    """The seeded month applied in this process on SQLite (usecases.inline: the worker's consumers, no broker):
    the ledger as month_ledger gives it, and reconcile's verdict. Entry for entry what one worker process pays
    (3,000 inspections: the same 4,684 entries in 3.4 s instead of 20 s)."""
    with tempfile.TemporaryDirectory() as tmp:
        system = new_system(Path(tmp))
        try:
            build_work(system.engine, system.settings, inspections=inspections, seed=seed, corrections_every=25)
            pump(system.engine, system.settings)
            return ledger(system), reconcile(system.engine) == []
        finally:
            system.engine.dispose()


def ledger(system: System) -> list[tuple[Any, ...]]:
    with reading(system.engine) as session:
        rows = session.exec(select(LedgerEntry)).all()
    return sorted((r.entry_key, r.kind, r.resident_id, r.amount_fen, r.pieces, r.period_id, r.reverses_entry_key)
                  for r in rows)


def applied_by_worker(system: System) -> dict[str, dict[str, Any]]:
    """Each worker's applied events (all its consumers) and the partitions it owned at the end."""
    with reading(system.engine) as session:
        return {b.worker_id: {"applied": b.applied_total, "partitions": len(b.partitions)}
                for b in session.exec(select(WorkerBeat))}


def scale_out(quick: bool = False) -> dict[str, Any]:
    """One worker and two workers over the same seeded month: the ledgers must match to the fen."""
    n = 4000 if quick else 20_000
    one, _, one_exact = month_ledger(1, inspections=n, seed=21)
    two, by_worker, two_exact = month_ledger(2, inspections=n, seed=21)
    totals = [_per_resident(entries) for entries in (one, two)]
    shared = len([w for w in by_worker.values() if w["applied"] > 0 and w["partitions"] > 0]) == 2
    return {"scale_out_ok": one == two and totals[0] == totals[1] and one_exact and two_exact and shared,
            "scale_out_inspections": n, "scale_out_entries": len(one), "scale_out_applied_by_worker": by_worker,
            "scale_out_ledger_fen": sum(e[3] for e in one)}


def _per_resident(entries: list[tuple[Any, ...]]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for e in entries:
        totals[e[2]] = totals.get(e[2], 0) + e[3]
    return totals
