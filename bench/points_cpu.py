"""The points consumer's CPU per event, in process (issue 19; not part of `make bench`).

`python -m bench.points_cpu --store sqlite|postgres [--inspections N] [--history H]` seeds the bench city
(bench.work_world) with a point rule in every community (a monthly cap in every other one, tight enough to bite),
builds H + N inspections of one month (a correction every 37th), pays them all through the earnings consumer
(not measured), scores the first H inspections' EarningsPosted with the points consumer (not measured: the month's
history), then scores the last N in the worker's batches of 10,000 inspections and prints the CPU it took per
inspection: this process's user+system (SQLite runs in it) and, on PostgreSQL, the server backends' of the scratch
database (/proc), with the worker's garbage collection (usecases.consumer.collect_garbage_for_batches). The digest
is of every point line but its id and posting time, so two versions of the code can be compared line for line on
the same seed; "audit" names the checks `microfactory audit` finds broken on the database afterwards (none).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.engine import Engine

from bench.work_world import MONTH_START, analyse, build_work
from schemas.catalogue import decode
from schemas.envelope import Event
from schemas.events.pay import EarningsPosted
from services.harness import scratch_postgres
from store.db import make_engine, reading, transaction
from store.migrate import upgrade
from store.tables import PointRuleVersion
from usecases import earn, service_points
from usecases.consumer import apply_batch, collect_garbage_for_batches
from usecases.context import Context
from usecases.invariants import check
from usecases.settings import Settings

BATCH = 10_000  # inspections a points batch holds at most (the worker's fetches of up to 10,000 records)
WORKER_YOUNG_OBJECTS = 200_000  # as streams/__main__.py sets it
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--inspections", type=int, default=30_000, help="inspections scored and measured")
    parser.add_argument("--history", type=int, default=0, help="inspections of the month scored before, unmeasured")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(json.dumps(run(args.store, inspections=args.inspections, history=args.history, seed=args.seed)))


def run(store: str, *, inspections: int, history: int, seed: int) -> dict[str, Any]:
    """Seed, pay, score the history, then score and measure `inspections`; returns the figures and the digest."""
    with database(store) as url:
        upgrade(url)
        engine = make_engine(url, checkpoint_pages=20_000)
        settings = Settings()
        build_work(engine, settings, inspections=history + inspections, seed=seed, corrections_every=37)
        add_rules(engine)
        posted = pay_everything(engine, settings)
        split = _first_index_past(posted, history)
        ctx = Context(now=datetime.now(UTC), settings=settings, producer="bench")
        for batch in batches(posted[:split]):
            apply_batch(engine, "points", batch, service_points.apply, ctx)
        analyse(engine)  # PostgreSQL plans for the month's lines, as autovacuum would have analysed them
        measured = posted[split:]
        events = sum(len(e.postings) for e in measured if isinstance(e, EarningsPosted))
        collect_garbage_for_batches(young=WORKER_YOUNG_OBJECTS)  # as the worker collects (the seeding's heap frozen)
        process, server = time.process_time(), backend_cpu(engine)
        for batch in batches(measured):
            apply_batch(engine, "points", batch, service_points.apply, ctx)
        process, server = time.process_time() - process, backend_cpu(engine) - server
        figures = {"store": store, "history": history, "events": events, "load_average": os.getloadavg()[0],
                   "process_us_per_event": round(process / events * 1e6, 2),
                   "server_us_per_event": round(server / events * 1e6, 2), "digest": digest(engine),
                   "audit": sorted({v.check for v in check(engine)[0]})}  # the live invariant audit's findings
        engine.dispose()
    return figures


@contextmanager
def database(store: str) -> Iterator[str]:
    """A fresh database: a SQLite file in a temporary directory, or a scratch PostgreSQL database."""
    if store == "postgres":
        with scratch_postgres("mf_points_cpu") as url:
            yield url
        return
    with tempfile.TemporaryDirectory(prefix="points_cpu_") as tmp:
        yield f"sqlite:///{Path(tmp) / 'points.db'}"


def add_rules(engine: Engine) -> None:
    """A point rule in force from before the month in every community: 1 point per ¥1 of piece pay (the bench's lots
    pay ¥1.5-36 a hand-in), and every other community capped at 2,000 points a resident and month."""
    with transaction(engine) as session:
        communities = sorted({c for (c,) in session.execute(text("SELECT id FROM community"))})
        session.execute(insert(PointRuleVersion), [
            {"community_id": c, "version": 1, "fen_per_point": 100, "passing_rate_bps": 9000,
             "high_pass_rate_bps": 9800, "high_pass_bonus_bps": 5000, "monthly_cap": 2000 if k % 2 else 0,
             "act_points_by_stars": [0, 0, 1, 2, 3], "volunteer_points_per_hour": 2, "service_monthly_cap": 0,
             "reason": "bench", "created_by": "bench", "effective_at": MONTH_START - timedelta(days=1)}
            for k, c in enumerate(communities)])


def pay_everything(engine: Engine, settings: Settings) -> list[Event]:
    """Every inspection in the outbox through the earnings consumer, in batches of 10,000; returns the
    EarningsPosted events it recorded, in order."""
    with reading(engine) as session:
        recorded = [decode(p.encode()) for (p,) in session.execute(
            text("SELECT payload FROM outbox WHERE type = 'work.inspection_recorded' ORDER BY id"))]
    ctx = Context(now=datetime.now(UTC), settings=settings, producer="bench")
    for i in range(0, len(recorded), BATCH):
        apply_batch(engine, "earnings", recorded[i:i + BATCH], earn.apply, ctx)
    with reading(engine) as session:
        return [decode(p.encode()) for (p,) in session.execute(
            text("SELECT payload FROM outbox WHERE type = 'ledger.earnings_posted' ORDER BY id"))]


def _first_index_past(events: Sequence[Event], inspections: int) -> int:
    """How many of the events carry the first `inspections` postings (an event is not split)."""
    seen = 0
    for i, event in enumerate(events):
        if seen >= inspections:
            return i
        seen += len(event.postings) if isinstance(event, EarningsPosted) else 0
    return len(events)


def batches(events: Sequence[Event]) -> Iterator[list[Event]]:
    """The events in batches of at most BATCH inspections, as the worker's fetches bring them."""
    batch: list[Event] = []
    held = 0
    for event in events:
        size = len(event.postings) if isinstance(event, EarningsPosted) else 1
        if batch and held + size > BATCH:
            yield batch
            batch, held = [], 0
        batch.append(event)
        held += size
    if batch:
        yield batch


def backend_cpu(engine: Engine) -> float:
    """CPU seconds (user+system) of the PostgreSQL server processes serving this database; 0 on SQLite."""
    if engine.dialect.name != "postgresql":
        return 0.0
    with engine.connect() as conn:
        pids = [pid for (pid,) in conn.execute(text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"))]
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime
    return total


def digest(engine: Engine) -> str:
    """sha256 of every point line but its id and posting time, in entry-key order."""
    with reading(engine) as session:
        rows = session.execute(text(
            "SELECT entry_key, kind, resident_id, community_id, month, points, uncapped, inspection_id, "
            "reverses_entry_key, redemption_id, rule_version FROM point_entry ORDER BY entry_key")).all()
    return hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()[:16]


if __name__ == "__main__":
    main()
