"""The database: one engine per process, SQLite (WAL) by default, PostgreSQL by URL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool
from sqlmodel import Session, create_engine


def normalise_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever spelling the URL has."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str, *, pooled: bool = True, checkpoint_pages: int | None = None,
                busy_timeout_s: float = 30.0) -> Engine:
    """Build an engine; SQLite gets WAL and a busy timeout so several processes can write.

    `pooled=False` closes each connection when it is returned (migrations, one-off commands).
    `busy_timeout_s`: on SQLite, how long a writer waits for another's write lock before "database is
    locked" (seconds; the setting SQLITE_BUSY_TIMEOUT_S); ignored on PostgreSQL, which queues writers itself.
    `checkpoint_pages`: on SQLite, how large the WAL may grow before this engine's commits checkpoint it
    (SQLite's default is 1,000 pages); a process that writes in bulk can leave checkpoints to the others.
    """
    url = normalise_url(url)
    pool = {} if pooled else {"poolclass": NullPool}
    if url.startswith("sqlite"):
        path = make_url(url).database
        on_disk = bool(path) and path != ":memory:"  # an in-memory database is one connection, no pool to size
        if path and on_disk:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # As many connections as the API has request threads (40): beyond the pool, each request would open
        # (and set up) a connection of its own and close it again.
        sizes = {"pool_size": 40, "max_overflow": 10} if pooled and on_disk else {}
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": busy_timeout_s},
                               **sizes, **pool)
        event.listen(engine, "connect", _sqlite_pragmas)
        # After _sqlite_pragmas: the PRAGMA is what SQLite obeys (the driver's timeout only sets it at connect).
        event.listen(engine, "connect", lambda conn, _record: conn.execute(
            f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}"))
        if checkpoint_pages is not None:
            event.listen(engine, "connect",
                         lambda conn, _record: conn.execute(f"PRAGMA wal_autocheckpoint={int(checkpoint_pages)}"))
        event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    sizes = {"pool_size": 5, "max_overflow": 10} if pooled else {}
    return create_engine(url, pool_pre_ping=True, **sizes, **pool)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Let pysqlite leave transaction control to us (see _sqlite_begin_immediate).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    # 32 MB of page cache (the default is 2 MB): the ledger's and outbox's indexes take random keys, so a
    # busy writer touches pages all over them; filled only as pages are read.
    cur.execute("PRAGMA cache_size=-32768")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _sqlite_begin_immediate(conn: Any) -> None:
    # Take the write lock at BEGIN: a read-then-write transaction can then never fail to
    # upgrade its lock midway (SQLITE_BUSY), so check-then-act stays atomic across processes.
    # Readers begin a plain deferred transaction and never wait for writers (WAL).
    readonly = conn.get_execution_options().get("mf_readonly", False)
    conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work: everything inside commits together or not at all."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A read-only session (no commit)."""
    with Session(engine.execution_options(mf_readonly=True), expire_on_commit=False) as session:
        yield session
