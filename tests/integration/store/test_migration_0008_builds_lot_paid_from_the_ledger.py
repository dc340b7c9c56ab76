"""Issue 19's part of migration 0008: the per-lot read model (lot_paid) is backfilled from the ledger's existing lines
(SQLite and PostgreSQL) — piece pay and its reversals per lot, resident and rate; bonuses, adjustments and lines
without a lot count nowhere — and appends after the upgrade add to the backfilled rows."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import text

from domain.invariants.money import check_lot_paid
from store.db import make_engine, reading, transaction
from store.ledger import append_entries, entry_row, rebuild_read_models
from store.migrate import alembic_config, upgrade
from usecases import invariant_rows as rows

LINES = (  # entry_key, kind, resident, lot, pieces, rate_centifen, amount_fen, reverses_entry_key
    ("i1:piece_pay", "piece_pay", "r1", "lot-1", 10, 350, 35, None),
    ("i2:piece_pay", "piece_pay", "r1", "lot-1", 4, 350, 14, None),
    ("i2:piece_pay:reversal", "reversal", "r1", "lot-1", -4, 350, -14, "i2:piece_pay"),
    ("i2:quality_bonus", "quality_bonus", "r1", "lot-1", 4, 500, 20, None),
    ("i2:quality_bonus:reversal", "reversal", "r1", "lot-1", -4, 500, -20, "i2:quality_bonus"),
    ("i3:piece_pay", "piece_pay", "r1", "lot-1", 3, 125, 4, None),  # the same lot at another rate
    ("i4:piece_pay", "piece_pay", "r2", "lot-2", 7, 10000, 700, None),
    ("i5:piece_pay", "piece_pay", "r2", "lot-3", 0, 10000, 0, None),  # nothing passed: a row of zero
    ("adj-1", "adjustment", "r2", None, 0, 0, 500, None),
)
EXPECTED = {("lot-1", "r1", 350): 10, ("lot-1", "r1", 125): 3, ("lot-2", "r2", 10000): 7, ("lot-3", "r2", 10000): 0}


def test_upgrading_a_ledger_with_lines_fills_lot_paid_and_appends_add_to_it(database_url: str) -> None:
    command.downgrade(alembic_config(database_url), "0007")
    engine = make_engine(database_url)
    zone = "+00" if engine.dialect.name == "postgresql" else ""  # SQLite keeps UTC without a zone
    with engine.begin() as db:
        for key, kind, resident, lot, pieces, rate, fen, reverses in LINES:
            db.execute(text("INSERT INTO ledger_entry (entry_key, kind, resident_id, community_id, lot_id, pieces, "
                            "rate_centifen, amount_fen, period_id, reverses_entry_key, memo, posted_at) VALUES "
                            "(:key, :kind, :resident, 'c1', :lot, :pieces, :rate, :fen, '2026-11-B', :reverses, '', "
                            ":at)"),
                       {"key": key, "kind": kind, "resident": resident, "lot": lot, "pieces": pieces, "rate": rate,
                        "fen": fen, "reverses": reverses, "at": "2026-11-20 03:00:00" + zone})
    upgrade(database_url)
    with reading(engine) as s:
        assert rows.lot_paid(s) == EXPECTED
        assert check_lot_paid(rows.entries(s), rows.lot_paid(s)) == []  # the backfill is the ledger's recomputation

    at = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)
    with transaction(engine) as s:
        append_entries(s, [
            entry_row(entry_key="i6:piece_pay", kind="piece_pay", resident_id="r1", community_id="c1", lot_id="lot-1",
                      inspection_id="i6", pieces=5, rate_centifen=350, amount_fen=18, period_id="2026-11-B",
                      posted_at=at),
            entry_row(entry_key="i1:piece_pay:reversal", kind="reversal", resident_id="r1", community_id="c1",
                      lot_id="lot-1", inspection_id="i6", pieces=-10, rate_centifen=350, amount_fen=-35,
                      period_id="2026-11-B", reverses_entry_key="i1:piece_pay", posted_at=at),
            entry_row(entry_key="i7:piece_pay", kind="piece_pay", resident_id="r3", community_id="c1", lot_id="lot-4",
                      inspection_id="i7", pieces=2, rate_centifen=80, amount_fen=2, period_id="2026-11-B",
                      posted_at=at)])
    with reading(engine) as s:
        assert rows.lot_paid(s) == {**EXPECTED, ("lot-1", "r1", 350): 5, ("lot-4", "r3", 80): 2}
        assert check_lot_paid(rows.entries(s), rows.lot_paid(s)) == []
    with transaction(engine) as s:  # what a benchmark's bulk load calls: the same rows from the lines
        s.execute(text("DELETE FROM lot_paid"))
        rebuild_read_models(s)
    with reading(engine) as s:
        assert rows.lot_paid(s) == {**EXPECTED, ("lot-1", "r1", 350): 5, ("lot-4", "r3", 80): 2}
    engine.dispose()
