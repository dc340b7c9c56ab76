"""Appending to the ledger (台账): the one way lines go in, with its read models kept in the same transaction.

Every writer — the earnings consumer, closing a period (top-ups, carried debts), adjustments — appends through
`append_entries`, which inserts the lines (store.bulk.insert_rows: COPY on PostgreSQL) and adds them to
`ledger_day` (domain.pay.ledger_days) with one upsert per (day, community, resident) the batch touches, not one
per line, its passed pieces to `lot_paid` (domain.pay.lot_paid) with one upsert per (lot, resident, rate), and its
amounts to `ledger_period` (domain.pay.ledger_periods) with one upsert per (community, period, resident). The
read models can therefore never miss a line its transaction committed; `microfactory audit` checks that they still
equal a recomputation from the ledger (usecases.invariants, checks "ledger_day_differs", "lot_paid_differs" and
"ledger_period_differs").
A bulk load that writes ledger_entry directly (a benchmark's generated lines) calls `rebuild_read_models` afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import and_, text
from sqlalchemy.sql import ColumnElement
from sqlmodel import Session, col, select

from domain.pay.ledger_days import FIGURES, TRANSFER_KINDS, DayKey, DayTotals, day_totals
from domain.pay.ledger_periods import PeriodKey, PeriodTotals, period_totals
from domain.pay.lot_paid import LotPaidKey, lot_paid_deltas
from store.bulk import add_to_rows, insert_rows
from store.tables import LedgerDay, LedgerEntry, LedgerPeriod, LotPaid

LEDGER_COLUMNS = ("entry_key", "kind", "resident_id", "order_id", "enterprise_id", "community_id", "lot_id",
                  "inspection_id", "pieces", "rate_centifen", "amount_fen", "period_id", "reverses_entry_key", "memo",
                  "posted_at")
# What the read model needs of a row (domain.pay.ledger_days.day_totals' order), taken by one itemgetter: a tuple
# built by a generator for each line cost ≈ 1 µs more a line (issue 19).
_DAY_FIELDS = itemgetter(*(LEDGER_COLUMNS.index(c) for c in ("kind", "resident_id", "community_id", "pieces",
                                                              "amount_fen", "posted_at", "reverses_entry_key")))
# What the per-lot read model needs (domain.pay.lot_paid.lot_paid_deltas' order).
_LOT_FIELDS = itemgetter(*(LEDGER_COLUMNS.index(c) for c in ("kind", "lot_id", "resident_id", "rate_centifen",
                                                              "pieces", "reverses_entry_key")))
# What the per-period read model needs (domain.pay.ledger_periods.period_totals' order).
_PERIOD_FIELDS = itemgetter(*(LEDGER_COLUMNS.index(c) for c in ("community_id", "period_id", "resident_id",
                                                                 "amount_fen")))
_DEFAULTS: dict[str, Any] = {"order_id": None, "enterprise_id": None, "lot_id": None, "inspection_id": None,
                             "pieces": 0, "rate_centifen": 0, "reverses_entry_key": None, "memo": ""}


def entry_row(**values: Any) -> tuple[Any, ...]:
    """A ledger line as a row in LEDGER_COLUMNS order; columns not given take their defaults (none, 0, "").

    Raises KeyError naming a required column that is missing, TypeError for a column the ledger does not have.
    """
    unknown = set(values) - set(LEDGER_COLUMNS)
    if unknown:
        raise TypeError(f"not a ledger column: {', '.join(sorted(unknown))}")
    merged = _DEFAULTS | values
    return tuple(merged[c] for c in LEDGER_COLUMNS)


def append_entries(session: Session, rows: Sequence[tuple[Any, ...]]) -> None:
    """Append ledger lines (tuples in LEDGER_COLUMNS order, posted_at an aware UTC datetime, amounts in fen) and
    add them to the daily read model (ledger_day), the per-lot one (lot_paid) and the per-period one
    (ledger_period), all in the session's transaction.

    Raises what the insert raises (a duplicate entry_key: IntegrityError) — the read models are then not touched
    either, since the caller's transaction rolls back.
    """
    if not rows:
        return
    insert_rows(session, LedgerEntry, rows, LEDGER_COLUMNS)
    add_to_days(session, day_totals(map(_DAY_FIELDS, rows)))
    add_to_lots(session, lot_paid_deltas(map(_LOT_FIELDS, rows)))
    add_to_periods(session, period_totals(map(_PERIOD_FIELDS, rows)))


def posted_between(start: datetime, end: datetime, communities: Sequence[str]) -> ColumnElement[bool]:
    """Where-clause for ledger lines posted in [start, end) (aware datetimes) in these communities, read through
    ix_ledger_entry_posted_at: for bounds that are not both Asia/Shanghai midnights (whole days are in ledger_day).

    The community is compared as an expression (`community_id || ''`), so that no index by community a later
    change adds can draw SQLite's planner, which has no statistics, away from the few hours of lines the time range
    holds (issue 19: it read every line of the communities through the index by community and period, now gone).
    """
    return and_(col(LedgerEntry.posted_at) >= start, col(LedgerEntry.posted_at) < end,
                (col(LedgerEntry.community_id) + "").in_(list(communities)))


def add_to_days(session: Session, totals: Mapping[DayKey, DayTotals]) -> None:
    """Add each (day, community, resident)'s figures to its ledger_day row, creating it when new, in key order
    (store.bulk.add_to_rows)."""
    add_to_rows(session, LedgerDay, ("community_id", "day", "resident_id"), [
        {"day": day, "community_id": community, "resident_id": resident, **figures.as_dict()}
        for (day, community, resident), figures in sorted(totals.items(), key=lambda kv: (kv[0][1], kv[0][0],
                                                                                           kv[0][2]))])


def add_to_lots(session: Session, deltas: Mapping[LotPaidKey, int]) -> None:
    """Add each (lot, resident, rate in centifen)'s passed pieces to its lot_paid row, creating it when new, in key
    order, after ledger_day's rows as every writer does (store.bulk.add_to_rows)."""
    add_to_rows(session, LotPaid, ("lot_id", "resident_id", "rate_centifen"), [
        {"lot_id": lot, "resident_id": resident, "rate_centifen": rate, "pieces": pieces}
        for (lot, resident, rate), pieces in sorted(deltas.items())])


def add_to_periods(session: Session, totals: Mapping[PeriodKey, PeriodTotals]) -> None:
    """Add each (community, period, resident)'s line count and amount (fen) to its ledger_period row, creating it
    when new, in key order, after lot_paid's rows as every writer does (store.bulk.add_to_rows)."""
    add_to_rows(session, LedgerPeriod, ("community_id", "period_id", "resident_id"), [
        {"community_id": community, "period_id": period, "resident_id": resident, "lines": figures.lines,
         "amount_fen": figures.amount_fen}
        for (community, period, resident), figures in sorted(totals.items())])


def in_community_period(community_id: str, period_id: str) -> ColumnElement[bool]:
    """Where-clause for the ledger lines of one community's pay period, read through ix_ledger_entry_resident_period
    for the residents ledger_period lists there (every resident with a line in it has a row: append_entries).

    The ledger has no index by (community, period) (issue 19: ≈ 4 µs a line on SQLite); a reader that sums the
    period reads ledger_period instead, one that needs the lines themselves uses this.
    """
    residents = select(LedgerPeriod.resident_id).where(LedgerPeriod.community_id == community_id,
                                                       LedgerPeriod.period_id == period_id)
    return and_(col(LedgerEntry.resident_id).in_(residents), col(LedgerEntry.period_id) == period_id,
                col(LedgerEntry.community_id) == community_id)


def rebuild_read_models(session: Session) -> None:
    """Recompute ledger_day, lot_paid and ledger_period from every ledger line, in SQL (after a bulk load that wrote
    ledger_entry directly)."""
    rebuild_days(session)
    rebuild_lot_paid(session)
    rebuild_periods(session)


def rebuild_periods(session: Session) -> None:
    """Recompute ledger_period from every ledger line, in SQL: the same sums as domain.pay.ledger_periods."""
    session.execute(text("DELETE FROM ledger_period"))
    session.execute(text(LEDGER_PERIOD_FROM_LEDGER_SQL))


def rebuild_lot_paid(session: Session) -> None:
    """Recompute lot_paid from every ledger line, in SQL: the same sums as domain.pay.lot_paid."""
    session.execute(text("DELETE FROM lot_paid"))
    session.execute(text(LOT_PAID_FROM_LEDGER_SQL))


def rebuild_days(session: Session) -> None:
    """Recompute ledger_day from every ledger line, in SQL (after a bulk load that wrote ledger_entry directly).

    The same sums as domain.pay.ledger_days, grouped by the Asia/Shanghai day (+8 h, no daylight saving).
    """
    dialect = session.connection().dialect.name
    session.execute(text("DELETE FROM ledger_day"))
    session.execute(text(days_from_ledger_sql(dialect)))


# Lines whose pieces are passed pieces (domain.pay.ledger_days.passes_pieces). text() would read ":piece_pay" as a
# bind parameter: the colon is escaped.
_PASSED = "(kind = 'piece_pay' OR (kind = 'reversal' AND reverses_entry_key LIKE '%\\:piece_pay'))"
# `INSERT INTO lot_paid … SELECT … FROM ledger_entry GROUP BY …`: the same on both stores.
LOT_PAID_FROM_LEDGER_SQL = (
    "INSERT INTO lot_paid (lot_id, resident_id, rate_centifen, pieces) "  # noqa: S608 - constants
    f"SELECT lot_id, resident_id, rate_centifen, SUM(pieces) FROM ledger_entry WHERE lot_id IS NOT NULL AND {_PASSED} "
    "GROUP BY lot_id, resident_id, rate_centifen")


# `INSERT INTO ledger_period … SELECT … FROM ledger_entry GROUP BY …`: the same on both stores.
LEDGER_PERIOD_FROM_LEDGER_SQL = (
    "INSERT INTO ledger_period (community_id, period_id, resident_id, lines, amount_fen) "
    "SELECT community_id, period_id, resident_id, COUNT(*), SUM(amount_fen) FROM ledger_entry "
    "GROUP BY community_id, period_id, resident_id")


def days_from_ledger_sql(dialect: str) -> str:
    """`INSERT INTO ledger_day … SELECT … FROM ledger_entry GROUP BY …` for this dialect ("sqlite", "postgresql")."""
    day = ("CAST(timezone('Asia/Shanghai', posted_at) AS DATE)" if dialect == "postgresql"
           else "date(posted_at, '+8 hours')")
    transfer = "kind IN (" + ", ".join(f"'{k}'" for k in TRANSFER_KINDS) + ")"
    passed = _PASSED
    return (f"INSERT INTO ledger_day (community_id, day, resident_id, {', '.join(FIGURES)}) "  # noqa: S608 - constants
            f"SELECT community_id, {day}, resident_id, COUNT(*), "
            f"SUM(CASE WHEN {transfer} THEN 0 ELSE 1 END), SUM(CASE WHEN {passed} THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN {transfer} THEN 0 ELSE amount_fen END), "
            f"SUM(CASE WHEN {transfer} THEN amount_fen ELSE 0 END), "
            f"SUM(CASE WHEN {passed} THEN pieces ELSE 0 END) "
            f"FROM ledger_entry GROUP BY community_id, {day}, resident_id")

