"""Alembic migrations build exactly the schema the code expects, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import inspect

from store.db import make_engine, reading, transaction
from store.migrate import alembic_config, upgrade
from store.tables import Community, LedgerEntry


def test_the_migrated_schema_has_no_drift_from_the_tables(database_url: str) -> None:
    # Raises if autogenerate would produce any operation: a table changed without a migration.
    command.check(alembic_config(database_url))


def test_upgrading_again_keeps_a_communitys_data(database_url: str) -> None:
    engine = make_engine(database_url)
    with transaction(engine) as session:
        session.add(Community(id="c1", name="第1社区", street="街道", district="黄浦区", city="shanghai"))
    upgrade(database_url)
    with reading(engine) as session:
        assert session.get(Community, "c1") is not None
    engine.dispose()


def test_times_come_back_timezone_aware_in_utc(database_url: str) -> None:
    engine = make_engine(database_url)
    at = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)
    with transaction(engine) as session:
        session.add(LedgerEntry(entry_key="k", kind="piece_pay", resident_id="r", community_id="c", pieces=1,
                                rate_centifen=500, amount_fen=5, period_id="2026-12-A", posted_at=at))
    with reading(engine) as session:
        row = session.get(LedgerEntry, 1)
        assert row is not None and row.posted_at == at and row.posted_at.tzinfo is not None
    assert "ledger_entry" in inspect(engine).get_table_names()
    engine.dispose()
