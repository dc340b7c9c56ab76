"""Issue 19's part of migration 0007: the daily read model is backfilled from the ledger's existing lines (SQLite and
PostgreSQL), the money sums become BIGINT on PostgreSQL, and the ledger stays append-only through it all."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from domain.invariants.money import check_ledger_days
from domain.pay.ledger_days import DayTotals
from store.db import make_engine, reading, transaction
from store.ledger import append_entries, entry_row
from store.migrate import alembic_config, upgrade
from store.tables import LedgerEntry, Payout, PayPeriod
from usecases import invariant_rows as rows

LINES = (  # entry_key, kind, resident, pieces, amount_fen, posted_at (UTC), reverses_entry_key
    ("i1:piece_pay", "piece_pay", "r1", 10, 350, "2026-11-19 15:59:00", None),  # 23:59 on 19 Nov in Shanghai
    ("i2:piece_pay", "piece_pay", "r1", 4, 140, "2026-11-19 16:01:00", None),  # 00:01 on 20 Nov
    ("i2:piece_pay:reversal", "reversal", "r1", -4, -140, "2026-11-20 03:00:00", "i2:piece_pay"),
    ("i2:quality_bonus", "quality_bonus", "r1", 4, 20, "2026-11-20 03:00:00", None),
    ("r1:2026-11-A:carried_in", "carried_in", "r1", 0, -90, "2026-11-20 04:00:00", "r1:2026-11-A:carry_forward"),
    ("i3:piece_pay", "piece_pay", "r2", 7, 700, "2026-11-20 05:00:00", None),
)


def test_upgrading_a_ledger_with_lines_fills_its_days_and_keeps_it_append_only(database_url: str) -> None:
    command.downgrade(alembic_config(database_url), "0006")
    engine = make_engine(database_url)
    zone = "+00" if engine.dialect.name == "postgresql" else ""  # SQLite keeps UTC without a zone
    with engine.begin() as db:
        for key, kind, resident, pieces, fen, at, reverses in LINES:
            db.execute(text("INSERT INTO ledger_entry (entry_key, kind, resident_id, community_id, pieces, "
                            "rate_centifen, amount_fen, period_id, reverses_entry_key, memo, posted_at) VALUES "
                            "(:key, :kind, :resident, 'c1', :pieces, 0, :fen, '2026-11-B', :reverses, '', :at)"),
                       {"key": key, "kind": kind, "resident": resident, "pieces": pieces, "fen": fen,
                        "reverses": reverses, "at": at + zone})
    upgrade(database_url)
    with reading(engine) as s:
        days = rows.ledger_days(s)
        assert check_ledger_days(rows.entries(s), days) == []  # the backfill is the ledger's own recomputation
    assert days == {
        (date(2026, 11, 19), "c1", "r1"): DayTotals(lines=1, income_lines=1, passed_lines=1, income_fen=350,
                                                     passed_pieces=10),
        (date(2026, 11, 20), "c1", "r1"): DayTotals(lines=4, income_lines=3, passed_lines=2, income_fen=20,
                                                     transfer_fen=-90, passed_pieces=0),
        (date(2026, 11, 20), "c1", "r2"): DayTotals(lines=1, income_lines=1, passed_lines=1, income_fen=700,
                                                     passed_pieces=7)}
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as db:
        db.execute(text("UPDATE ledger_entry SET amount_fen = 1"))
    with reading(engine) as s:
        assert rows.ledger_refuses_rewrites(s)
    engine.dispose()


def test_money_sums_above_2_to_the_31_fen_are_stored(database_url: str) -> None:
    """PostgreSQL's INTEGER would refuse these (out of range); SQLite's INTEGER is 64-bit already."""
    engine = make_engine(database_url)
    big = 3_000_000_000  # ¥30 M: a community's half month at province scale passes INTEGER's ¥21.47 M
    at = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)
    with transaction(engine) as s:
        append_entries(s, [entry_row(entry_key="big-1", kind="adjustment", resident_id="r1", community_id="c1",
                                     amount_fen=big, period_id="2026-11-B", posted_at=at)])
        append_entries(s, [entry_row(entry_key="big-2", kind="adjustment", resident_id="r1", community_id="c1",
                                     amount_fen=big, period_id="2026-11-B", posted_at=at)])
        s.add(PayPeriod(community_id="c1", period_id="2026-11-B", total_fen=2 * big, closed_at=at, closed_by="coord"))
        s.add(Payout(id="pay-big", reference="ref-big", resident_id="r1", period_id="2026-11-B", amount_fen=big,
                     method="bank", actor="coord", at=at))
    with reading(engine) as s:
        assert [e.amount_fen for e in s.exec(select(LedgerEntry).order_by(LedgerEntry.entry_key))] == [big, big]
        assert s.exec(select(PayPeriod.total_fen)).one() == 2 * big
        assert s.exec(select(Payout.amount_fen)).one() == big
        assert rows.ledger_days(s)[(date(2026, 11, 30), "c1", "r1")].income_fen == 2 * big  # the read model's sum
        if engine.dialect.name == "postgresql":
            assert _types(s) == {("ledger_entry", "amount_fen"): "bigint", ("pay_period", "total_fen"): "bigint",
                                 ("payout", "amount_fen"): "bigint", ("pay_adjustment", "amount_fen"): "bigint",
                                 ("ledger_day", "income_fen"): "bigint", ("ledger_day", "transfer_fen"): "bigint",
                                 ("ledger_period", "amount_fen"): "bigint"}  # 0012's read model (issue 19)
        assert rows.ledger_refuses_rewrites(s)  # ALTER … TYPE kept the append-only triggers
    engine.dispose()


def _types(s: Session) -> dict[tuple[str, str], str]:
    found = s.execute(text(
        "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' "
        "AND (column_name IN ('amount_fen', 'total_fen', 'income_fen', 'transfer_fen'))")).all()
    return {(t, c): d for t, c, d in found}
