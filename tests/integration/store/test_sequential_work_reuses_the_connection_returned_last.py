"""After a burst has opened several connections, work that comes one at a time is served by the connection
returned last, not rotated through the pool (issue 19, SQLite and PostgreSQL).

Each connection keeps caches of its own: on SQLite a page cache of up to 32 MB, emptied whenever another process
writes and filled again; on PostgreSQL a server process. Rotating one worker's sequential batches through the five
connections a burst of its threads had opened left the province worker's heap at 850-950 MB (the goal is 1 GB);
served by one, the others stay cold.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import select

from store.db import reading, transaction
from store.tables import Community

BURST = 4


def _served_by(engine: Engine, *, write: bool) -> int:
    """The id of the driver connection one unit of work ran on."""
    with (transaction if write else reading)(engine) as session:
        session.exec(select(func.count()).select_from(Community)).one()
        return id(session.connection().connection.dbapi_connection)


def test_one_at_a_time_work_runs_on_one_connection_after_a_burst(engine: Engine) -> None:
    together = Barrier(BURST)

    def held_at_once(_: int) -> int:
        with reading(engine) as session:
            session.exec(select(func.count()).select_from(Community)).one()
            together.wait(timeout=30)  # all BURST connections are checked out at the same moment
            return id(session.connection().connection.dbapi_connection)

    with ThreadPoolExecutor(BURST) as pool:
        opened = set(pool.map(held_at_once, range(BURST)))
    assert len(opened) == BURST

    # Sequential work from several threads, as a worker's batches reach it through asyncio.to_thread.
    with ThreadPoolExecutor(3) as pool:
        served = {pool.submit(_served_by, engine, write=n % 2 == 0).result() for n in range(3 * BURST)}
    assert len(served) == 1, f"sequential work was spread over {len(served)} of the {BURST} pooled connections"
    assert served <= opened
