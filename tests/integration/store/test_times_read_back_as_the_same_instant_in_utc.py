"""A stored time reads back as the same instant with the UTC zone, on SQLite and PostgreSQL, whatever zone it was
written in (store.types.UTCDateTime: its reading takes a shortcut for times already in UTC, issue 19)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select

from store.bulk import insert_rows
from store.db import make_engine, reading, transaction
from store.tables import LedgerEntry
from store.types import UTCDateTime

SHANGHAI = ZoneInfo("Asia/Shanghai")
INSTANTS = [
    datetime(2026, 11, 15, 16, 0, tzinfo=UTC),  # a local midnight
    datetime(2026, 11, 30, 15, 59, 59, 999_999, tzinfo=UTC),  # a microsecond before a month's end, locally
    datetime(2026, 12, 31, 16, 0, 0, 1, tzinfo=UTC),
    datetime(2026, 1, 1, 0, 0, tzinfo=UTC),
]
ZONES = [UTC, timezone(timedelta(hours=8)), SHANGHAI, ZoneInfo("Etc/UTC"), timezone(timedelta(hours=-5, minutes=-30))]


def line(n: int, posted_at: datetime) -> dict[str, object]:
    return {"entry_key": f"ins-{n:05d}:piece_pay", "kind": "piece_pay", "resident_id": "comm-001-r001",
            "order_id": "ord-1", "enterprise_id": "ent-1", "community_id": "comm-001", "lot_id": "lot-1",
            "inspection_id": f"ins-{n:05d}", "pieces": 1, "rate_centifen": 100, "amount_fen": 1,
            "period_id": "2026-11-B", "reverses_entry_key": None, "memo": "", "posted_at": posted_at}


def test_a_time_written_in_any_zone_reads_back_as_the_same_instant_in_utc(database_url: str) -> None:
    engine = make_engine(database_url)
    written = [(at, zone) for at in INSTANTS for zone in ZONES]
    with transaction(engine) as session:
        insert_rows(session, LedgerEntry, [line(n, at.astimezone(zone)) for n, (at, zone) in enumerate(written)])
        session.add(LedgerEntry(**line(len(written), INSTANTS[1].astimezone(SHANGHAI))))  # type: ignore[arg-type]
    with reading(engine) as session:
        read = session.exec(select(LedgerEntry.posted_at).order_by(col(LedgerEntry.inspection_id))).all()
        orm = session.exec(select(LedgerEntry).order_by(col(LedgerEntry.inspection_id))).all()
    expected = [at for at, _ in written] + [INSTANTS[1]]
    assert read == expected and [r.posted_at for r in orm] == expected
    assert all(at.tzinfo is UTC and at.utcoffset() == timedelta(0) for at in [*read, *(r.posted_at for r in orm)])
    assert [(at.year, at.month, at.day, at.hour, at.minute, at.second, at.microsecond) for at in read] == [
        (at.year, at.month, at.day, at.hour, at.minute, at.second, at.microsecond) for at in expected]


def test_what_a_driver_returns_becomes_the_same_instant_in_utc() -> None:
    for dialect in (sqlite.dialect(), postgresql.dialect()):
        process = UTCDateTime().process_result_value
        assert process(None, dialect) is None
        for at in INSTANTS:
            naive = at.replace(tzinfo=None)  # SQLite's stored text, parsed
            for given in (naive, *(at.astimezone(zone) for zone in ZONES)):
                got = process(given, dialect)
                assert got == at and got.tzinfo is UTC, (given, got)
                assert got.replace(tzinfo=None) == naive and got.fold == 0
