"""The worker's statements on PostgreSQL are planned for the id arrays they carry, never by a kept generic plan.

psycopg prepares a statement after its fifth run; PostgreSQL may then keep a generic plan made without the array.
On statistics taken while applied_event was empty, that plan read all of a consumer's applied records and compared
each with every id of the batch in turn: in a pay-latency run a 4,200-event batch waited 11.6 s in this lookup
(issue 19). The worker's connections plan every run for its array (streams.runtime.WORKER_PG_OPTIONS).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from types import SimpleNamespace
from typing import cast

import psycopg
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from schemas.envelope import Event
from store.db import make_engine
from streams.runtime import Runtime
from usecases.consumer import unapplied
from usecases.settings import Settings

pytestmark = pytest.mark.postgres
APPLIED, BATCH, RUNS = 20_000, 1_000, 16


@pytest.fixture
def grown_since_analysed(templates) -> Iterator[tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    """A database whose applied_event was analysed empty and then received APPLIED earnings records (ids given)."""
    from tests.conftest import _drop_pg

    name, url = templates.pg_copy()
    done = [str(uuid.uuid4()) for _ in range(APPLIED)]
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("ANALYZE applied_event")
            with conn.cursor() as cur, cur.copy("COPY applied_event (consumer, event_id, applied_at) FROM STDIN") as cp:
                for event_id in done:
                    cp.write_row(("earnings", event_id, "2026-11-30T00:00:00Z"))
        yield url, done
    finally:
        _drop_pg(name)


def lookups(engine: Engine, done: list[str]) -> list[tuple[str, int, int]]:
    """Run the applied-event lookup RUNS times on one connection, each with BATCH ids (half applied already);
    returns pg_prepared_statements' (statement, generic plans, custom plans) of that connection."""
    with Session(engine) as session:
        for run in range(RUNS):
            ids = done[run * BATCH // 2:(run + 1) * BATCH // 2] + [str(uuid.uuid4()) for _ in range(BATCH // 2)]
            events = cast(Sequence[Event], [SimpleNamespace(event_id=i) for i in ids])
            assert list(unapplied(session, "earnings", events)) == ids[BATCH // 2:]
        rows = session.connection().exec_driver_sql(
            "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements").all()
    return [(str(s), int(g), int(c)) for s, g, c in rows]


def test_the_workers_applied_event_lookup_is_planned_for_each_batch(grown_since_analysed: tuple[str, list[str]]
                                                                    ) -> None:
    url, done = grown_since_analysed
    runtime = Runtime(settings=Settings(DATABASE_URL=url, DEMO=False))
    try:
        with runtime.engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW plan_cache_mode").scalar() == "force_custom_plan"
        prepared = [(g, c) for s, g, c in lookups(runtime.engine, done) if "applied_event" in s]
    finally:
        runtime.engine.dispose()
    assert prepared, "psycopg prepared the lookup after its fifth run"
    assert all(generic == 0 and custom > 0 for generic, custom in prepared)


def test_without_it_postgresql_keeps_a_generic_plan_for_the_lookup(grown_since_analysed: tuple[str, list[str]]
                                                                   ) -> None:
    """The hazard the worker's setting removes, and what the other processes' engines keep (PostgreSQL's default)."""
    url, done = grown_since_analysed
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW plan_cache_mode").scalar() == "auto"
        prepared = [(g, c) for s, g, c in lookups(engine, done) if "applied_event" in s]
    finally:
        engine.dispose()
    assert any(generic > 0 for generic, _ in prepared)
