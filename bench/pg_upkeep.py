"""A stand-in for PostgreSQL's autovacuum on a benchmark's scratch database, when the server runs without it.

The server on this machine runs with `autovacuum = off` (a setting of the machine, not of the product). A
deployment's PostgreSQL runs it (the default, and docker-compose.yml's image), and the product leans on it: the
relay updates every outbox row twice, and a table the planner has never analysed gets plans for an empty table
(this morning's pay-latency run on PostgreSQL seq-scanned a 100,000-line ledger in every batch). Measuring
without it would measure a misconfigured server. So while a PostgreSQL benchmark runs, `upkeep` vacuums and
analyses its database every PERIOD_S — about what autovacuum does on a busy database — and the CPU it costs
counts in the run's PostgreSQL figures like autovacuum's would. bench/METHOD.md says so.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from store.db import normalise_url

log = logging.getLogger(__name__)
PERIOD_S = 30.0  # autovacuum wakes every autovacuum_naptime (60 s) per database and acts on tables past a threshold


def autovacuum_on(url: str) -> bool:
    """Whether the server behind `url` runs autovacuum itself (raises psycopg.Error when it cannot be asked)."""
    with psycopg.connect(_plain(url), autocommit=True) as conn:
        row = conn.execute("SHOW autovacuum").fetchone()
    return bool(row and row[0] == "on")


@contextmanager
def upkeep(url: str | None, period_s: float = PERIOD_S) -> Iterator[None]:
    """While inside: VACUUM (ANALYZE) the PostgreSQL database at `url` every `period_s` seconds, unless the server
    autovacuums or `url` is None (SQLite). Failures are logged, never raised: a benchmark must not stop for it."""
    if url is None or autovacuum_on(url):
        yield
        return
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(period_s):
            try:
                with psycopg.connect(_plain(url), autocommit=True) as conn:
                    conn.execute("VACUUM (ANALYZE)")
            except psycopg.Error as exc:
                log.warning("upkeep: VACUUM (ANALYZE) failed: %s", exc)

    worker = threading.Thread(target=loop, name="pg-upkeep", daemon=True)
    worker.start()
    try:
        yield
    finally:
        stop.set()
        worker.join(timeout=60)


def _plain(url: str) -> str:
    return normalise_url(url).replace("postgresql+psycopg://", "postgresql://")
