"""The hot paths' bulk helpers store and find exactly what the ORM would, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import event, func
from sqlmodel import col, select

from store.bulk import _BinaryTexts, insert_rows, where_in
from store.db import make_engine, reading, transaction
from store.tables import LedgerEntry, OutboxEvent
from streams.runtime import WORKER_CHECKPOINT_PAGES, Runtime
from usecases.settings import Settings

AT = datetime(2026, 11, 15, 16, 0, tzinfo=UTC)  # local midnight of the 16th in Asia/Shanghai


def line(n: int, posted_at: datetime) -> dict[str, object]:
    return {"entry_key": f"ins-{n:05d}:piece_pay", "kind": "piece_pay", "resident_id": f"comm-001-r{n % 7:03d}",
            "order_id": "ord-1", "enterprise_id": "ent-1", "community_id": "comm-001", "lot_id": "lot-1",
            "inspection_id": f"ins-{n:05d}", "pieces": n, "rate_centifen": 3500, "amount_fen": 35 * n,
            "period_id": "2026-11-B", "reverses_entry_key": None, "memo": "计件 piece pay", "posted_at": posted_at}


def test_bulk_inserted_lines_read_back_like_orm_inserted_ones(database_url: str) -> None:
    engine = make_engine(database_url)
    beijing = timezone(timedelta(hours=8))
    with transaction(engine) as session:
        # The same instant given in another zone, and a shared timestamp, as a batch would have them.
        insert_rows(session, LedgerEntry, [line(1, AT), line(2, AT.astimezone(beijing)), line(3, AT)])
        session.add(LedgerEntry(**line(4, AT)))  # type: ignore[arg-type]
    with reading(engine) as session:
        rows = session.exec(select(LedgerEntry).order_by(col(LedgerEntry.inspection_id))).all()
        stored_as = session.exec(select(func.count()).select_from(LedgerEntry)
                                 .where(LedgerEntry.posted_at == AT)).one()
    assert [r.inspection_id for r in rows] == ["ins-00001", "ins-00002", "ins-00003", "ins-00004"]
    assert all(r.posted_at == AT and r.posted_at.tzinfo is not None for r in rows)
    assert stored_as == 4  # the bulk rows compare equal to the ORM row in SQL too (same stored form)
    assert [(r.amount_fen, r.memo, r.reverses_entry_key) for r in rows] == [(35 * n, "计件 piece pay", None)
                                                                             for n in (1, 2, 3, 4)]


def test_rows_given_as_tuples_of_named_columns_store_the_same_as_mappings(database_url: str) -> None:
    engine = make_engine(database_url)
    columns = ("posted_at", "memo", *(k for k in line(0, AT) if k not in ("posted_at", "memo")))  # not table order
    with transaction(engine) as session:
        insert_rows(session, LedgerEntry, [line(1, AT), line(2, AT)])
        insert_rows(session, LedgerEntry, [tuple(line(n, AT)[c] for c in columns) for n in (3, 4)], columns)
        insert_rows(session, LedgerEntry, [], columns)
    with reading(engine) as session:
        rows = session.exec(select(LedgerEntry).order_by(col(LedgerEntry.inspection_id))).all()
    stored = [r.model_dump(exclude={"id"}) for r in rows]
    assert stored == [line(n, AT) for n in (1, 2, 3, 4)]


def test_bulk_insert_converts_booleans_and_keeps_the_transaction(database_url: str) -> None:
    engine = make_engine(database_url)
    outbox = {"event_id": "e-1", "topic": "mf.ledger.v1", "key": "comm-001", "type": "ledger.earnings_posted",
              "payload": "{}", "created_at": AT, "settled": True, "deliveries": 0}
    try:
        with transaction(engine) as session:
            insert_rows(session, OutboxEvent, [outbox, outbox | {"event_id": "e-2", "settled": False}])
            raise RuntimeError("the use case failed after writing")
    except RuntimeError:
        pass
    with reading(engine) as session:
        assert session.exec(select(func.count()).select_from(OutboxEvent)).one() == 0  # rolled back with the rest
    with transaction(engine) as session:
        insert_rows(session, OutboxEvent, [outbox, outbox | {"event_id": "e-2", "settled": False}])
        insert_rows(session, OutboxEvent, [])
    with reading(engine) as session:
        settled = dict(session.exec(select(OutboxEvent.event_id, OutboxEvent.settled)).all())
        unsettled = session.exec(select(OutboxEvent.event_id).where(OutboxEvent.settled == False)).all()  # noqa: E712
    assert settled == {"e-1": True, "e-2": False} and unsettled == ["e-2"]


def test_where_in_finds_exactly_the_listed_ids_however_many(database_url: str) -> None:
    engine = make_engine(database_url)
    with transaction(engine) as session:
        insert_rows(session, LedgerEntry, [line(n, AT) for n in range(1, 3001)])
    wanted = [f"ins-{n:05d}" for n in range(2, 3001, 2)] + ["ins-99999", "it's; a quote"]
    with reading(engine) as session:
        found = session.exec(select(LedgerEntry.inspection_id).where(
            where_in(session, col(LedgerEntry.inspection_id), wanted),
            where_in(session, col(LedgerEntry.resident_id), ["comm-001-r000", "comm-001-r001"]))).all()
        none = session.exec(select(LedgerEntry.id).where(where_in(session, col(LedgerEntry.inspection_id), []))).all()
    expected = {f"ins-{n:05d}" for n in range(2, 3001, 2) if n % 7 in (0, 1)}
    assert set(found) == expected and len(found) == len(expected)
    assert none == []



def test_where_in_finds_texts_an_array_literal_would_have_to_quote(database_url: str) -> None:
    """Commas, braces, quotes, backslashes, spaces, 'NULL' and Chinese are ids like any other. On PostgreSQL the ids go
    as one array in psycopg's binary format (store.bulk._BinaryTexts), which quotes nothing."""
    odd = ["it's", "a,b", "{x}", "back\\slash", "NULL", "with space", '"quoted"', "居民-1"]
    engine = make_engine(database_url)
    with transaction(engine) as session:
        insert_rows(session, LedgerEntry, [line(n, AT) | {"inspection_id": ident} for n, ident in enumerate(odd, 1)]
                    + [line(100, AT)])
    sent: list[Any] = []
    event.listen(engine, "before_cursor_execute", lambda *args: sent.append(args[3]))
    with reading(engine) as session:
        found = session.exec(select(LedgerEntry.inspection_id).where(
            where_in(session, col(LedgerEntry.inspection_id), [*odd, "NULL2", "ins-00099"]))).all()
    assert sorted(found) == sorted(odd)
    if engine.dialect.name == "postgresql":
        values = [v for params in sent for v in (params.values() if isinstance(params, dict) else params)]
        assert any(isinstance(v, _BinaryTexts) for v in values), values


def test_an_in_memory_database_gets_an_engine_too() -> None:
    engine = make_engine("sqlite:///:memory:")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == -32768
    assert make_engine("sqlite://").dialect.name == "sqlite"  # the same, spelled without a path


def test_the_worker_leaves_wal_checkpoints_to_the_processes_that_commit_little(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'mf.db'}"
    worker = Runtime(settings=Settings(DATABASE_URL=url)).engine
    with worker.connect() as mine:
        assert mine.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == WORKER_CHECKPOINT_PAGES > 1000
    with make_engine(url).connect() as others:
        assert others.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000  # SQLite's default
