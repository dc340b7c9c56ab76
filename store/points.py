"""Appending to the points ledger (积分台账), with its monthly read model kept in the same transaction.

The points consumer and volunteer scoring append through `append_points`, which inserts the lines
(store.bulk.insert_rows: COPY on PostgreSQL) and adds their scored points to `point_month`
(domain.points.month_totals) with one upsert per (resident, month) the batch touches. The read model therefore never
misses a line its transaction committed; `microfactory audit` checks that it still equals a recomputation from the
lines (usecases.invariants, check "point_month_differs"), and `rebuild_point_months` recomputes it from them
(`microfactory rebuild-read-models`). A redemption (usecases.shop) counts nowhere in it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from domain.points.month_totals import SCORED_KINDS, MonthKey, month_deltas
from store.bulk import add_to_rows, insert_rows
from store.tables import PointEntry, PointMonth

POINT_COLUMNS = ("entry_key", "kind", "resident_id", "community_id", "month", "points", "uncapped", "inspection_id",
                 "reverses_entry_key", "redemption_id", "rule_version", "posted_at")
# What the read model needs of a row, by position in POINT_COLUMNS (domain.points.month_totals.month_deltas' order);
# an itemgetter builds those tuples in C, cheaper than a generator expression per line.
_MONTH_FIELDS = itemgetter(*(POINT_COLUMNS.index(c) for c in ("kind", "resident_id", "month", "uncapped")))


def append_points(session: Session, rows: Sequence[tuple[Any, ...]]) -> None:
    """Append point lines (tuples in POINT_COLUMNS order, posted_at an aware UTC datetime, points integer) and add
    the scored ones to the monthly read model (point_month), in the session's transaction.

    Raises what the insert raises (a duplicate entry_key: IntegrityError); the caller's transaction then rolls back
    the read model's rows too.
    """
    if not rows:
        return
    insert_rows(session, PointEntry, rows, POINT_COLUMNS)
    add_to_months(session, month_deltas(map(_MONTH_FIELDS, rows)))


def add_to_months(session: Session, deltas: Mapping[MonthKey, int]) -> None:
    """Add each (resident, month)'s uncapped points to its point_month row, creating it when new, in key order
    (store.bulk.add_to_rows)."""
    add_to_rows(session, PointMonth, ("resident_id", "month"), [
        {"resident_id": resident, "month": month, "uncapped": uncapped}
        for (resident, month), uncapped in sorted(deltas.items())])


def rebuild_point_months(session: Session) -> None:
    """Recompute point_month from every point line, in SQL: the same sums as domain.points.month_totals (Σ uncapped
    of the scored kinds per resident and month; a key whose lines sum to zero keeps its row)."""
    session.execute(text("DELETE FROM point_month"))
    session.execute(text(POINT_MONTH_FROM_LINES_SQL))


# `INSERT INTO point_month … SELECT … FROM point_entry GROUP BY …`: the same on both stores.
POINT_MONTH_FROM_LINES_SQL = (
    "INSERT INTO point_month (resident_id, month, uncapped) "  # noqa: S608 - constants
    "SELECT resident_id, month, SUM(uncapped) FROM point_entry "
    f"WHERE kind IN ({', '.join(repr(k) for k in SCORED_KINDS)}) GROUP BY resident_id, month")
