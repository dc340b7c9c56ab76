"""The worker's PostgreSQL sessions compress large values with lz4, not pglz (issue 19).

An EarningsPosted in the outbox lists every posting of its community's batch, tens of kB: pglz compressing it took
about 1.5 µs of the server's CPU per inspection in the earnings consumer's apply, lz4 about 0.35. Other processes'
sessions keep the server's default; both read either.
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import text

from streams.runtime import Runtime
from usecases.settings import Settings

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url(templates) -> Iterator[str]:  # type: ignore[no-untyped-def]
    from tests.conftest import _drop_pg

    name, url = templates.pg_copy()
    try:
        yield url
    finally:
        _drop_pg(name)


def test_a_large_value_the_worker_writes_is_stored_with_lz4_and_reads_back_whole(pg_url: str) -> None:
    runtime = Runtime(settings=Settings(DATABASE_URL=pg_url, DEMO=False))
    payload = '{"postings": [' + ", ".join(f'{{"entry": "e-{i:06d}", "fen": {i * 7}}}' for i in range(3000)) + "]}"
    try:
        with runtime.engine.begin() as conn:
            assert conn.exec_driver_sql("SHOW default_toast_compression").scalar() == "lz4"
            conn.execute(text("INSERT INTO outbox (event_id, topic, key, type, payload, created_at, settled, "
                              "deliveries) VALUES ('e', 'mf.ledger.v1', 'c', 'pay.earnings_posted', :p, now(), "
                              "false, 0)"), {"p": payload})
    finally:
        runtime.engine.dispose()
    with psycopg.connect(pg_url, autocommit=True) as conn:  # another process's session, the server's default
        assert conn.execute("SHOW default_toast_compression").fetchone() == ("pglz",)
        assert conn.execute("SELECT pg_column_compression(payload), payload FROM outbox").fetchone() == ("lz4", payload)
