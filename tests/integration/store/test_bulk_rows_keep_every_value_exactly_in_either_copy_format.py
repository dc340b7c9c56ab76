"""store.bulk.insert_rows stores each value exactly as the ORM would, whether PostgreSQL's COPY runs in binary (every
column of a type it packs: the ledger, applied events) or in text (a table with a float column); SQLite alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from psycopg.errors import NumericValueOutOfRange
from sqlalchemy import JSON, Column, Integer, MetaData, String, Table, insert
from sqlmodel import col, select

from store.bulk import insert_rows
from store.db import make_engine, reading, transaction
from store.ledger import LEDGER_COLUMNS
from store.tables import AppliedEvent, Community, LedgerEntry

AT = datetime(2026, 11, 30, 15, 59, 59, 999_999, tzinfo=UTC)
ODD_TEXT = "计件 tab\there, new\nline, back\\slash, quote ' \" and \\N, 𠀀"


def ledger(n: int, **values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "entry_key": f"ins-{n:05d}:piece_pay", "kind": "piece_pay", "resident_id": "comm-001-r001", "order_id": None,
        "enterprise_id": None, "community_id": "comm-001", "lot_id": None, "inspection_id": f"ins-{n:05d}",
        "pieces": -7, "rate_centifen": 0, "amount_fen": -(2**31) - 5, "period_id": "2026-11-B",
        "reverses_entry_key": None, "memo": "", "posted_at": AT}
    return row | values


def test_ledger_rows_read_back_as_the_orm_stores_them(database_url: str) -> None:
    engine = make_engine(database_url)
    rows = [ledger(1), ledger(2, memo=ODD_TEXT, order_id="", amount_fen=2**40, posted_at=AT.astimezone(
        timezone(timedelta(hours=8)))), ledger(3, reverses_entry_key="ins-00001:piece_pay", kind="reversal")]
    with transaction(engine) as session:
        insert_rows(session, LedgerEntry, [tuple(r[c] for c in LEDGER_COLUMNS) for r in rows], LEDGER_COLUMNS)
        session.add(LedgerEntry(**ledger(4, memo=ODD_TEXT, amount_fen=2**40)))  # type: ignore[arg-type]
    with reading(engine) as session:
        stored = [r.model_dump(exclude={"id"}) for r in
                  session.exec(select(LedgerEntry).order_by(col(LedgerEntry.entry_key))).all()]
    assert stored == [ledger(1), ledger(2, memo=ODD_TEXT, order_id="", amount_fen=2**40),
                      ledger(3, reverses_entry_key="ins-00001:piece_pay", kind="reversal"),
                      ledger(4, memo=ODD_TEXT, amount_fen=2**40)]


def test_a_table_with_a_float_column_and_applied_events_go_in_too(database_url: str) -> None:
    engine = make_engine(database_url)
    community = Community(id="comm-x", name=ODD_TEXT, street="街道", district="区", city="shanghai",
                          match_fairness_weight=0.125)
    with transaction(engine) as session:
        insert_rows(session, Community, [community.model_dump()])
        insert_rows(session, AppliedEvent, [("earnings", f"ev-{n}", AT) for n in range(3)],
                    ("consumer", "event_id", "applied_at"))
    with reading(engine) as session:
        read = session.exec(select(Community).where(Community.id == "comm-x")).one()
        applied = session.exec(select(AppliedEvent.event_id, AppliedEvent.applied_at)
                               .order_by(col(AppliedEvent.event_id))).all()
    assert read.model_dump() == community.model_dump()
    assert [tuple(a) for a in applied] == [(f"ev-{n}", AT) for n in range(3)]


# PostgreSQL only (SQLite stores any value in any column: there is no COPY to refuse it), so no SQLite case to skip.
@pytest.mark.parametrize("database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_a_value_of_the_wrong_type_fails_the_copy_and_stores_nothing(database_url: str) -> None:
    engine = make_engine(database_url)
    with pytest.raises(Exception), transaction(engine) as session:  # noqa: B017, PT011 - the driver's own error
        insert_rows(session, LedgerEntry, [ledger(1), ledger(2, pieces="seven")])
    with reading(engine) as session:
        assert session.exec(select(LedgerEntry.id)).all() == []


def test_a_count_beyond_its_int4_column_is_refused_on_postgresql_never_stored_as_other_bits(database_url: str) -> None:
    """psycopg's binary COPY packs an int4 (pieces, rate_centifen) into its low 32 bits without a word: 2**31 pieces
    went in as -2**31 and 2**32 + 5 as 5. Such a batch goes as text, and the server refuses it as the ORM's insert
    does; SQLite's INTEGER holds 64 bits and keeps the value given."""
    engine = make_engine(database_url)
    given = [ledger(1, pieces=2**31), ledger(2, rate_centifen=-(2**31) - 1), ledger(3, pieces=2**32 + 5)]
    for row in given:
        if engine.dialect.name == "postgresql":
            with pytest.raises(NumericValueOutOfRange), transaction(engine) as session:
                insert_rows(session, LedgerEntry, [ledger(0), row])
        else:
            with transaction(engine) as session:
                insert_rows(session, LedgerEntry, [row])
    with reading(engine) as session:
        stored = [r.model_dump(exclude={"id"}) for r in
                  session.exec(select(LedgerEntry).order_by(col(LedgerEntry.entry_key))).all()]
    assert stored == ([] if engine.dialect.name == "postgresql" else given)


_JSON_TABLE = Table("bulk_json_probe", MetaData(), Column("id", Integer, primary_key=True), Column("tag", String),
                    Column("value", JSON, nullable=True))


class _JsonProbe:  # insert_rows needs only the model's __table__
    __table__ = _JSON_TABLE


def test_json_values_that_compare_equal_are_each_stored_as_the_orm_stores_them(database_url: str) -> None:
    """True == 1 == 1.0 in Python, and the conversion of a batch's values was shared between equal ones: a JSON
    column given 1, true and 1.0 stored the first one's text for all three (times still share theirs)."""
    engine = make_engine(database_url)
    _JSON_TABLE.create(engine)
    values = [1, True, 1.0, 0, False, 0.0, "1", None, {"a": [1, True]}, "计件"]
    with transaction(engine) as session:
        insert_rows(session, _JsonProbe, [{"tag": f"bulk{n}", "value": v}  # type: ignore[arg-type]
                                          for n, v in enumerate(values)])
        session.connection().execute(insert(_JSON_TABLE), [{"tag": f"orm{n}", "value": v}
                                                           for n, v in enumerate(values)])
    with reading(engine) as session:
        stored = dict(session.connection().execute(select(_JSON_TABLE.c.tag, _JSON_TABLE.c.value)).all())
    engine.dispose()
    assert [(stored[f"bulk{n}"], type(stored[f"bulk{n}"])) for n in range(len(values))] == \
           [(stored[f"orm{n}"], type(stored[f"orm{n}"])) for n in range(len(values))]
    assert [type(stored[f"bulk{n}"]) for n in (0, 1, 3, 4)] == [int, bool, int, bool]
