"""Issue 19's part of migration 0012: the per-period read model (ledger_period) is backfilled from the ledger's
existing lines (SQLite and PostgreSQL) — every line's count and amount per community, period and resident, whatever
its kind, a zero sum keeping its row — appends after the upgrade add to the backfilled rows, the ledger's index by
(community, period) is gone, and a downgrade brings it back."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import inspect, text

from domain.invariants.money import check_ledger_periods
from domain.pay.ledger_periods import PeriodTotals
from store.db import make_engine, reading, transaction
from store.ledger import append_entries, entry_row, rebuild_read_models
from store.migrate import alembic_config, upgrade
from usecases import invariant_rows as rows

LINES = (  # entry_key, kind, community, resident, period, amount_fen, reverses_entry_key
    ("i1:piece_pay", "piece_pay", "c1", "r1", "2026-11-B", 350, None),
    ("i2:piece_pay", "piece_pay", "c1", "r1", "2026-11-B", 140, None),
    ("i2:piece_pay:reversal", "reversal", "c1", "r1", "2026-12-A", -140, "i2:piece_pay"),  # a later open period
    ("i3:quality_bonus", "quality_bonus", "c1", "r2", "2026-11-B", 20, None),
    ("adj-1", "adjustment", "c1", "r2", "2026-11-B", -20, None),  # sums to zero: the row stays
    ("r1:2026-11-B:carry_forward", "carry_forward", "c1", "r3", "2026-11-B", 500, None),
    ("r1:2026-11-B:carried_in", "carried_in", "c1", "r3", "2026-12-A", -500, "r1:2026-11-B:carry_forward"),
    ("i4:piece_pay", "piece_pay", "c2", "r1", "2026-11-B", 7, None),  # the same resident in another community
)
EXPECTED = {("c1", "2026-11-B", "r1"): PeriodTotals(2, 490), ("c1", "2026-12-A", "r1"): PeriodTotals(1, -140),
            ("c1", "2026-11-B", "r2"): PeriodTotals(2, 0), ("c1", "2026-11-B", "r3"): PeriodTotals(1, 500),
            ("c1", "2026-12-A", "r3"): PeriodTotals(1, -500), ("c2", "2026-11-B", "r1"): PeriodTotals(1, 7)}
INDEX = "ix_ledger_entry_community_period"


def _indexes(engine: object) -> set[str]:
    return {ix["name"] for ix in inspect(engine).get_indexes("ledger_entry")}  # type: ignore[arg-type]


def test_upgrading_a_ledger_with_lines_fills_ledger_period_and_appends_add_to_it(database_url: str) -> None:
    command.downgrade(alembic_config(database_url), "0011")
    engine = make_engine(database_url)
    assert INDEX in _indexes(engine)
    zone = "+00" if engine.dialect.name == "postgresql" else ""  # SQLite keeps UTC without a zone
    with engine.begin() as db:
        for key, kind, community, resident, period, fen, reverses in LINES:
            db.execute(text("INSERT INTO ledger_entry (entry_key, kind, resident_id, community_id, pieces, "
                            "rate_centifen, amount_fen, period_id, reverses_entry_key, memo, posted_at) VALUES "
                            "(:key, :kind, :resident, :community, 0, 0, :fen, :period, :reverses, '', :at)"),
                       {"key": key, "kind": kind, "resident": resident, "community": community, "fen": fen,
                        "period": period, "reverses": reverses, "at": "2026-11-20 03:00:00" + zone})
    upgrade(database_url)
    assert INDEX not in _indexes(engine)
    with reading(engine) as s:
        assert rows.ledger_periods(s) == EXPECTED
        assert check_ledger_periods(rows.entries(s), rows.ledger_periods(s)) == []  # the ledger's recomputation

    at = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)
    with transaction(engine) as s:
        append_entries(s, [
            entry_row(entry_key="i5:piece_pay", kind="piece_pay", resident_id="r1", community_id="c1", lot_id="lot-1",
                      inspection_id="i5", pieces=5, rate_centifen=350, amount_fen=18, period_id="2026-11-B",
                      posted_at=at),
            entry_row(entry_key="i1:piece_pay:reversal", kind="reversal", resident_id="r1", community_id="c1",
                      lot_id="lot-1", inspection_id="i5", pieces=-10, rate_centifen=350, amount_fen=-350,
                      period_id="2026-12-A", reverses_entry_key="i1:piece_pay", posted_at=at),
            entry_row(entry_key="i6:piece_pay", kind="piece_pay", resident_id="r4", community_id="c1", lot_id="lot-4",
                      inspection_id="i6", pieces=2, rate_centifen=80, amount_fen=2, period_id="2026-12-A",
                      posted_at=at)])
    after = {**EXPECTED, ("c1", "2026-11-B", "r1"): PeriodTotals(3, 508),
             ("c1", "2026-12-A", "r1"): PeriodTotals(2, -490), ("c1", "2026-12-A", "r4"): PeriodTotals(1, 2)}
    with reading(engine) as s:
        assert rows.ledger_periods(s) == after
        assert check_ledger_periods(rows.entries(s), rows.ledger_periods(s)) == []
    with transaction(engine) as s:  # what a benchmark's bulk load calls: the same rows from the lines
        s.execute(text("DELETE FROM ledger_period"))
        rebuild_read_models(s)
    with reading(engine) as s:
        assert rows.ledger_periods(s) == after
    engine.dispose()
    command.downgrade(alembic_config(database_url), "0011")
    engine = make_engine(database_url)
    assert INDEX in _indexes(engine)
    assert "ledger_period" not in inspect(engine).get_table_names()
    engine.dispose()
