"""Issue 16's migration: rates kept in whole fen become exact rates in 0.0001 yuan (×100), amounts untouched, and the
ledger stays append-only (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from store.db import make_engine
from store.migrate import alembic_config, upgrade


def test_a_35_fen_rate_becomes_3500_and_the_ledger_still_refuses_rewrites(database_url: str) -> None:
    command.downgrade(alembic_config(database_url), "0005")
    engine = make_engine(database_url)
    with engine.begin() as db:
        db.execute(text("INSERT INTO ledger_entry (entry_key, kind, resident_id, community_id, pieces, rate_fen, "
                        "amount_fen, period_id, memo, posted_at) VALUES ('k1', 'piece_pay', 'r1', 'c1', 10, 35, "
                        "350, '2026-11-B', '', '2026-11-20 02:00:00')"))
    upgrade(database_url)
    with engine.begin() as db:
        row = db.execute(text("SELECT rate_centifen, amount_fen FROM ledger_entry WHERE entry_key = 'k1'")).one()
    assert tuple(row) == (3_500, 350)  # 35 fen = ¥0.35 = 3,500 × ¥0.0001; the money stays 350 fen
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as db:
        db.execute(text("UPDATE ledger_entry SET amount_fen = 1"))
    engine.dispose()
