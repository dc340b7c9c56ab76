"""The database: one engine per process, SQLite (WAL) by default, PostgreSQL by URL."""

from __future__ import annotations

import re
import select
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
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
    On PostgreSQL a pooled engine keeps PG_POOL_SIZE connections (10 more at a peak) and, instead of pinging each one
    before use, replaces one the server has closed since it was returned (_pg_drop_if_closed).
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
        # The pool hands out the connection returned last, not the one idle longest (issue 19): once a burst had
        # opened several, first-in-first-out rotated sequential work through all of them, so each filled a page
        # cache of its own (up to cache_size, 32 MB), emptied whenever another process writes and filled again; the
        # freed pages left the province worker's heap at 850-950 MB. Last-in-first-out keeps the spare connections
        # cold: 537 MB (bench.scale_bench.worker_peak_rss(size="province"), 2026-12-01).
        sizes = {"pool_size": 40, "max_overflow": 10, "pool_use_lifo": True} if pooled and on_disk else {}
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
    # A pool as large as the API's busy threads use at once (issue 19): a connection beyond pool_size is closed when
    # it is returned, so with 5 kept and ~10-15 in use at 300 requests a second each burst opened new connections
    # (a server process forked, its caches and this connection's prepared statements started again) and closed
    # them. Overflow stays for a thread that holds two at once. Last in, first out as on SQLite: each connection is a
    # server process with caches of its own, and the spare ones stay idle (one the server closes is replaced).
    sizes = {"pool_size": PG_POOL_SIZE, "max_overflow": 10, "pool_use_lifo": True} if pooled else {}
    engine = create_engine(url, **sizes, **pool)
    if pooled:
        # Instead of pool_pre_ping (a SELECT 1 round trip on every checkout, ≈ 3 % of the API's CPU and a statement
        # on the server per request): a connection the server has closed since it was returned (a restart,
        # pg_terminate_backend, an idle timeout) has its socket readable at EOF, which a zero-timeout poll sees.
        event.listen(engine, "checkout", _pg_drop_if_closed)
    return engine


PG_POOL_SIZE = 20  # PostgreSQL connections kept per process (the API has 40 request threads; max_connections 100)


def _pg_drop_if_closed(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
    """Refuse a pooled psycopg connection the server has closed (or that has anything unread while idle): the pool
    then replaces it with a new one (sqlalchemy DisconnectionError), so no request is answered with its error.

    An idle connection has nothing to read; EOF, or the server's FATAL message before it, makes the socket
    readable. A notice the server sent to an idle session (rare) drops a good connection too, costing a reconnect.
    """
    if dbapi_conn.closed or dbapi_conn.broken:
        raise DisconnectionError("connection closed")
    poller = select.poll()  # not select.select: a busy API's sockets pass descriptor 1024, which it cannot take
    try:
        poller.register(dbapi_conn.fileno(), select.POLLIN)
    except (OSError, ValueError) as exc:  # no descriptor any more
        raise DisconnectionError(str(exc)) from exc
    if poller.poll(0):  # readable, hung up or in error
        raise DisconnectionError("the server closed this connection (or sent to it while idle)")


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


class WriteInRead(RuntimeError):
    """A statement that is not a select construct (an insert, update, delete or raw SQL), or a flush, in a
    reading_statements() session."""


class _StatementsSession(Session):
    """The session reading_statements() gives: it runs SELECTs only (see _refuse_writes)."""


def _refuse_writes(state: Any) -> None:
    if not state.is_select:
        raise WriteInRead(f"a read may not write: {str(state.statement)[:80]}")


def _refuse_flush(*_args: Any) -> None:
    raise WriteInRead("a read may not write: a flush of added or changed rows")


# What a statement that only reads may begin with, whatever runs it (the ORM, exec_driver_sql, a raw Core call).
_READING_WORDS = ("SELECT", "WITH", "BEGIN", "SHOW", "EXPLAIN", "VALUES")


_CTE_WRITE = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


def _refuse_write_statements(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    """The second guard of reading_statements(): a statement run on session.connection() bypasses the session's
    do_orm_execute, and in autocommit it would commit at once, so every statement the driver gets is checked by
    its first word, and a WITH for a data-modifying part (PostgreSQL's `WITH x AS (DELETE …)`)."""
    head = statement.lstrip(" \n\t(").upper()
    if not head.startswith(_READING_WORDS) or (head.startswith("WITH") and _CTE_WRITE.search(statement)):
        raise WriteInRead(f"a read may not write: {statement[:80]}")


event.listen(_StatementsSession, "do_orm_execute", _refuse_writes)
event.listen(_StatementsSession, "before_flush", _refuse_flush)


@contextmanager
def reading_statements(engine: Engine) -> Iterator[Session]:
    """A read-only session that holds no transaction open on PostgreSQL: each statement commits on its own
    (autocommit), so a read costs no BEGIN and ROLLBACK round trips (issue 19: ≈ 0.3 ms of the API's CPU and the
    server's per request). Under READ COMMITTED, PostgreSQL's default, each statement of a transaction sees the
    database as that statement starts anyway, so the answers are the same; a caller that needs one moment across
    statements uses a REPEATABLE READ session (usecases.invariant_rows.snapshot). Since nothing would roll a write
    back, the session runs SELECTs only: any other statement run through it (execute, exec, get), or a flush, raises
    WriteInRead, and so does any statement the driver is given through session.connection() that does not begin as
    a read (store.bulk.insert_rows refuses its COPY on such a connection too). On SQLite it is
    reading() with the same guard (a deferred transaction is one snapshot and costs no round trip).
    """
    # The engine with these options is kept on the engine itself, not in a weak-keyed map: its value (an
    # OptionEngine) refers to the engine, so a map's entry would keep every engine, and its pool's open connections,
    # alive for good; an attribute is a cycle the garbage collector frees with the engine.
    bound = getattr(engine, "_mf_reading_statements", None)
    if bound is None:
        options: dict[str, object] = {"mf_readonly": True}
        if engine.dialect.name == "postgresql":
            options["isolation_level"] = "AUTOCOMMIT"
        bound = engine.execution_options(**options)
        event.listen(bound, "before_cursor_execute", _refuse_write_statements)
        engine._mf_reading_statements = bound  # type: ignore[attr-defined]  # not one Engine declares
    with _StatementsSession(bound, expire_on_commit=False, autoflush=False) as session:
        yield session
