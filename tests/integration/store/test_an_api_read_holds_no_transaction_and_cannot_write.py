"""The API's reads (store.db.reading_statements, issue 19): on PostgreSQL they hold no transaction (no BEGIN and
ROLLBACK round trips), and on both stores they run SELECTs only, since nothing would roll a write back: an insert,
an update or a flush of an added row raises WriteInRead and leaves the database as it was."""

from __future__ import annotations

import pytest
from sqlalchemy import func, update
from sqlalchemy.engine import Engine
from sqlmodel import select

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
