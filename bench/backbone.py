"""What the backbone benchmarks share: a system with N workers joined before the relay starts, and counting."""

from __future__ import annotations

import os
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from schemas.catalogue import PARTITIONS
from services.harness import System, wait_until
from store.db import reading
from store.tables import AppliedEvent, OutboxEvent, WorkerBeat

# The relay re-delivers what is not applied after this long; a benchmark backlog is older than the
# System's test default (4 s) by design, so the benchmarks use the product's default order of magnitude.
BENCH_ENV = {"REDELIVERY_AFTER_S": "60"}
# Every partition of the topics the workers' consumer groups split between them (faust's and the earnings one).
OWNED = {f"{topic}:{p}" for topic in ("mf.lots.v1", "mf.work.v1") for p in range(PARTITIONS)}


def new_system(tmp: Path, database_url: str | None = None) -> System:
    """A benchmark system in `tmp`: on SQLite there, or on the given (empty) PostgreSQL database."""
    return System(tmp, extra_env=BENCH_ENV, database_url=database_url)


def start_workers(system: System, workers: int, *, timeout: float = 90) -> None:
    """Start the broker and `workers` workers, and wait until they share every partition between them."""
    system.start_broker()
    for n in range(1, workers + 1):
        system.start("worker", env={"WORKER_ID": f"worker-{n}"}, key=f"worker-{n}")

    def joined() -> bool:
        with reading(system.engine) as session:
            beats = session.exec(select(WorkerBeat)).all()
        owners = [set(b.partitions) for b in beats if b.partitions and b.worker_id.startswith("worker-")]
        return len(owners) == workers and set().union(*owners) >= OWNED
    wait_until(joined, timeout=timeout, what=f"{workers} worker(s) to share the partitions", system=system)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used (its threads included), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def database_server_pids(database_url: str) -> list[int]:
    """PostgreSQL backend processes serving this database now (empty for SQLite: it runs inside its callers)."""
    if not database_url.startswith("postgresql"):
        return []
    import psycopg

    name = database_url.rsplit("/", 1)[1].split("?")[0]
    with psycopg.connect(database_url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as conn:
        rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                            (name,)).fetchall()
    return [int(r[0]) for r in rows]


def cpu_by_component(system: System, database_pids: list[int]) -> dict[str, float]:
    """CPU seconds used so far by each of the system's processes and by the database's server backends."""
    out = {name: cpu_seconds(proc.pid) for name, proc in system.procs.items()}
    if database_pids:
        out["postgresql"] = sum(cpu_seconds(pid) for pid in database_pids)
    return out


def applied(system: System, consumer: str = "earnings") -> int:
    with reading(system.engine) as session:
        return int(session.exec(select(func.count()).select_from(AppliedEvent)
                                .where(AppliedEvent.consumer == consumer)).one())


def wait_applied(system: System, n: int, *, timeout: float, consumer: str = "earnings") -> None:
    """Wait until `consumer` has applied n events (polling every second: each poll counts applied records, a cost
    the run's PostgreSQL CPU includes; the figures are taken from the database's timestamps, not from the poll)."""
    deadline = time.monotonic() + timeout
    while applied(system, consumer) < n:
        if time.monotonic() > deadline:
            raise AssertionError(f"{consumer} applied {applied(system, consumer)} of {n} after {timeout}s\n"
                                 + system.log_tail("worker-1") + system.log_tail("relay"))
        time.sleep(1.0)


def first_publish(system: System, topic: str = "mf.work.v1") -> datetime:
    with reading(system.engine) as session:
        return session.exec(select(func.min(OutboxEvent.published_at)).where(OutboxEvent.topic == topic)).one()


def last_applied(system: System, consumer: str = "earnings") -> datetime:
    with reading(system.engine) as session:
        return session.exec(select(func.max(AppliedEvent.applied_at)).where(AppliedEvent.consumer == consumer)).one()
