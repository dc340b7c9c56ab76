"""What the agents share: settings, the engine, and running a batch through a handler off the event loop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import select

from schemas.envelope import Event
from store.db import make_engine, transaction
from store.retry import retrying
from store.tables import DeadLetter, WorkerBeat
from usecases.consumer import Handler, apply_batch
from usecases.context import Context
from usecases.settings import Settings, get_settings

log = logging.getLogger(__name__)
# On SQLite the worker commits thousands of rows a batch, and checkpointing the WAL at its own commits took about a
# tenth of its time. The relay and the API commit often and checkpoint at SQLite's default 1,000 pages; the worker
# does only if the WAL reaches 80 MB, which means nobody else is writing.
WORKER_CHECKPOINT_PAGES = 20_000
# On PostgreSQL the worker's statements are planned for the ids they carry, every time (issue 19). psycopg prepares
# a statement after its fifth run, and PostgreSQL may then keep one generic plan, made without the id array: on
# statistics taken while a table was empty (a new deployment or consumer, the minute before autovacuum's first
# analyse) that plan reads all of a consumer's rows and compares each with every id of the array in turn (a plan
# made for the array hashes it, PostgreSQL 14+). In pay-latency runs on PostgreSQL the applied-event lookup of one
# 4,200-event batch took 11.6 s that way (auto_explain: pkey's consumer column only, 28,622 rows filtered), and a
# 3,100-event batch 6.8 s with the ledger's look-up by inspection: the probes' p99 tail. Planning a batch's few
# dozen statements anew costs little beside what they read and write.
WORKER_PG_OPTIONS = "-c plan_cache_mode=force_custom_plan"
# The worker's large values (an EarningsPosted in the outbox lists every posting of its community's batch, tens of kB)
# are compressed with lz4 rather than PostgreSQL's default pglz, which costs the server several times the CPU (issue
# 19). Set after connecting, where the server offers lz4 (PostgreSQL 14+ built with it, as the official images are);
# another server keeps its default. A setting of the session only: stored values keep their method, readers need
# nothing, and what other processes write keeps the server's default.
WORKER_PG_COMPRESSION = ("SELECT set_config('default_toast_compression', 'lz4', false) FROM pg_settings "
                         "WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)")


@dataclass
class Runtime:
    """One per worker process: built lazily so importing the app touches nothing."""

    settings: Settings = field(default_factory=get_settings)
    applied_total: int = 0
    dead_letters_total: int = 0
    batch_consumers: dict[str, Any] = field(default_factory=dict)  # name → its running aiokafka consumer
    # name → topics created again: it seeks its partitions of them to their start (streams/topics_again.py)
    read_again: dict[str, set[str]] = field(default_factory=dict)

    @cached_property
    def engine(self) -> Engine:
        engine = make_engine(self.settings.database_url, checkpoint_pages=WORKER_CHECKPOINT_PAGES,
                             busy_timeout_s=self.settings.sqlite_busy_timeout_s)
        if engine.dialect.name == "postgresql":
            event.listen(engine, "do_connect", plan_for_parameters)
            event.listen(engine, "connect", compress_with_lz4)
        return engine

    def context(self, consumer: str) -> Context:
        return Context.live(self.settings, producer=f"{self.settings.worker_id}:{consumer}")

    async def run(self, consumer: str, events: Sequence[Event], handler: Handler) -> list[tuple[Event, str]]:
        """Apply a batch in a thread (the event loop keeps heartbeating); returns events that failed."""
        applied, failed = await asyncio.to_thread(apply_batch, self.engine, consumer, events, handler,
                                                  self.context(consumer))
        self.applied_total += applied
        return failed

    def record_dead_letter(self, *, topic: str, partition: int, offset: int, raw: bytes, reason: str) -> None:
        """Keep a record that can never be applied, with where it came from and why; waits out a locked database."""

        def record() -> None:
            with transaction(self.engine) as session:
                session.add(DeadLetter(topic=topic, partition=partition, offset=offset, raw=raw, reason=reason,
                                       at=datetime.now(UTC)))

        retrying(record, what=f"dead letter from {topic}:{partition}:{offset}")
        self.dead_letters_total += 1

    def beat(self, partitions: list[str]) -> None:
        """Tell /health this worker is alive and what it owns."""
        with transaction(self.engine) as session:
            row = session.exec(select(WorkerBeat).where(WorkerBeat.worker_id == self.settings.worker_id)).first()
            row = row or WorkerBeat(worker_id=self.settings.worker_id, updated_at=datetime.now(UTC))
            row.updated_at, row.partitions = datetime.now(UTC), partitions
            row.applied_total, row.dead_letters_total = self.applied_total, self.dead_letters_total
            session.add(row)


def plan_for_parameters(_dialect: Any, _record: Any, _args: Any, params: dict[str, Any]) -> None:
    """SQLAlchemy's do_connect hook for the worker's PostgreSQL engine: each new connection starts with
    WORKER_PG_OPTIONS (in the startup packet, so no round trip), appended to any `options` the URL gave."""
    params["options"] = f"{params['options']} {WORKER_PG_OPTIONS}" if params.get("options") else WORKER_PG_OPTIONS


def compress_with_lz4(dbapi_conn: Any, _record: Any) -> None:
    """SQLAlchemy's connect hook for the worker's PostgreSQL engine: the session compresses large values with lz4
    where the server offers it (WORKER_PG_COMPRESSION; one round trip per new connection, which the pool keeps)."""
    with dbapi_conn.cursor() as cursor:
        cursor.execute(WORKER_PG_COMPRESSION)
    dbapi_conn.commit()  # a session setting made inside a transaction is undone if that transaction rolls back
