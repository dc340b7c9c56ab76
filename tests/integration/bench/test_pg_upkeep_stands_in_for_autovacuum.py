"""A PostgreSQL benchmark's database is vacuumed and analysed while it runs, as autovacuum would (pg_upkeep)."""

from __future__ import annotations

import time

import psycopg
import pytest

from bench.pg_upkeep import autovacuum_on, upkeep
from services.harness import scratch_postgres

pytestmark = pytest.mark.postgres


def last_analyze(url: str) -> object:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'upkept'").fetchone()
    return row[0] if row else None


def test_a_table_written_during_the_run_is_analysed_by_the_stand_in_unless_the_server_autovacuums() -> None:
    with scratch_postgres("mf_upkeep") as url:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE TABLE upkept (id int primary key)")
            conn.execute("INSERT INTO upkept SELECT generate_series(1, 1000)")
        assert last_analyze(url) is None
        with upkeep(url, period_s=0.2):
            deadline = time.monotonic() + 30
            while last_analyze(url) is None and time.monotonic() < deadline and not autovacuum_on(url):
                time.sleep(0.1)
        if not autovacuum_on(url):  # a server that autovacuums is left to do it itself
            assert last_analyze(url) is not None


def test_sqlite_runs_get_no_upkeep() -> None:
    with upkeep(None):
        pass  # nothing to connect to, nothing raised
