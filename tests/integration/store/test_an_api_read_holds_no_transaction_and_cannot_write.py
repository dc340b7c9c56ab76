"""The API's reads (store.db.reading_statements, issue 19): on PostgreSQL they hold no transaction (no BEGIN and
ROLLBACK round trips), and on both stores they run SELECTs only, since nothing would roll a write back: an insert,
an update or a flush of an added row raises WriteInRead and leaves the database as it was."""

from __future__ import annotations

import pytest
from sqlalchemy import func, update
from sqlalchemy.engine import Engine
from sqlmodel import select

from store.bulk import insert_rows
from store.db import WriteInRead, reading_statements, transaction
from store.tables import Community


def _community(engine: Engine) -> None:
    with transaction(engine) as session:
        session.add(Community(id="c1", name="一社区", street="外滩街道", district="黄浦区", city="shanghai",
                              division="310101"))


def test_a_read_answers_without_holding_a_transaction_on_postgresql(engine: Engine) -> None:
    _community(engine)
    with reading_statements(engine) as session:
        assert session.exec(select(Community.name)).all() == ["一社区"]
        if engine.dialect.name == "postgresql":
            dbapi = session.connection().connection.dbapi_connection
            assert dbapi is not None and dbapi.info.transaction_status == 0  # IDLE: no transaction open
    with engine.connect() as conn:  # the pooled connection is handed back in transactions again
        if engine.dialect.name == "postgresql":
            assert conn.connection.dbapi_connection.autocommit is False  # type: ignore[union-attr]


def test_a_read_that_tries_to_write_is_refused_and_changes_nothing(engine: Engine) -> None:
    _community(engine)
    with pytest.raises(WriteInRead), reading_statements(engine) as session:
        session.execute(update(Community).values(name="改"))
    with pytest.raises(WriteInRead), reading_statements(engine) as session:
        session.add(Community(id="c2", name="二社区", street="s", district="d", city="shanghai", division="310101"))
        session.flush()
    with reading_statements(engine) as session:
        assert session.exec(select(Community.name)).all() == ["一社区"]
        assert session.exec(select(func.count()).select_from(Community)).one() == 1


def test_a_write_through_the_reads_connection_is_refused_too_and_changes_nothing(engine: Engine) -> None:
    """The session's own guard sees only what runs through the session; on session.connection() a write in
    autocommit would commit at once, so the driver-level guard refuses it (driver SQL, a CTE that writes, and
    store.bulk.insert_rows, whose COPY on PostgreSQL reaches no statement listener)."""
    _community(engine)
    writes = ["UPDATE community SET name = '改'", "  delete from community",
              "WITH gone AS (DELETE FROM community RETURNING id) SELECT count(*) FROM gone"]
    if engine.dialect.name == "sqlite":
        writes.pop()  # SQLite has no data-modifying CTE
    for sql in writes:
        with pytest.raises(WriteInRead), reading_statements(engine) as session:
            session.connection().exec_driver_sql(sql)
    row = Community(id="c2", name="二社区", street="s", district="d", city="shanghai", division="310101")
    with pytest.raises(WriteInRead), reading_statements(engine) as session:
        insert_rows(session, Community, [row.model_dump()])
    with reading_statements(engine) as session:
        assert session.connection().exec_driver_sql(
            "WITH n AS (SELECT name FROM community) SELECT name FROM n").scalars().all() == ["一社区"]
        assert session.exec(select(func.count()).select_from(Community)).one() == 1
