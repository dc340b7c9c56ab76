"""`microfactory rebuild-read-models`: the read models recomputed from the lines they sum, when one differs.

The ledger (ledger_entry) and the points ledger (point_entry) are the record; ledger_day, lot_paid, ledger_period
(store.ledger) and point_month (store.points) are kept in each append's transaction, and `microfactory audit`
names a row that differs (ledger_day_differs, lot_paid_differs, ledger_period_differs, point_month_differs). A row
can still differ when something wrote the lines around the appends: a worker of the code before a read model
existed, appending while a migration's backfill ran (0012's ledger_period, 0009's point_month), or a hand edit.
This repairs them: one transaction counts the rows that differ (the audit's own checks, domain.invariants) and
recomputes all four in SQL (the same sums as the domain's), so the audit's read-model checks hold afterwards and a
second run changes nothing. The lines themselves are only read.

Writers are held off for the whole transaction, or an append committed between the recomputation and the commit
would be lost from the read models (or counted twice): on PostgreSQL both ledgers' tables are locked in SHARE mode
(an append waits, readers do not); SQLite's write transaction (BEGIN IMMEDIATE, store.db) already excludes them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from domain.invariants import Violation
from domain.invariants.money import check_ledger_days, check_ledger_periods, check_lot_paid
from domain.invariants.points import check_point_months
from store.db import transaction
from store.ledger import rebuild_read_models as rebuild_ledger_read_models
from store.points import rebuild_point_months
from usecases import invariant_rows as rows

# Each read model: its table, its name in Chinese, and the audit's check that compares it with its lines.
READ_MODELS = (("ledger_day", "按日汇总表", "ledger_day_differs"),
               ("lot_paid", "按批次已付件数表", "lot_paid_differs"),
               ("ledger_period", "按工资期汇总表", "ledger_period_differs"),
               ("point_month", "积分月汇总表", "point_month_differs"))


@dataclass(frozen=True)
class Rebuilt:
    """One read model after its rebuild: how many of its rows differed from the lines before (a figure off, a row
    missing or a row too many, as the audit counts them) and how many rows it holds now."""

    table: str
    name_zh: str
    differed: int
    rows: int


def rebuild_read_models(engine: Engine) -> list[Rebuilt]:
    """Recompute ledger_day, lot_paid, ledger_period and point_month from the lines in one transaction that holds
    writers off; what differed before, per read model, in READ_MODELS' order."""
    with transaction(engine) as session:
        _hold_off_writers(session)
        differed = Counter(v.check for v in _differences(session))
        rebuild_ledger_read_models(session)
        rebuild_point_months(session)
        held = {table: int(session.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one())  # noqa: S608
                for table, _, _ in READ_MODELS}
    return [Rebuilt(table, zh, differed[check], held[table]) for table, zh, check in READ_MODELS]


def _hold_off_writers(session: Session) -> None:
    """On PostgreSQL, make every append to either ledger wait for this transaction (SHARE conflicts with the ROW
    EXCLUSIVE an INSERT takes; reads go on). The ledger first, as a writer that appends to both does."""
    if session.connection().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE ledger_entry, point_entry IN SHARE MODE"))


def _differences(session: Session) -> list[Violation]:
    """The audit's read-model checks on this transaction's view of the lines and the read models."""
    entries = rows.entries(session)
    return [*check_ledger_days(entries, rows.ledger_days(session)),
            *check_lot_paid(entries, rows.lot_paid(session)),
            *check_ledger_periods(entries, rows.ledger_periods(session)),
            *check_point_months(rows.point_lines(session), rows.point_months(session))]
