"""Issue 19's point_month in migration 0009: the points ledger's monthly read model is backfilled from the existing
point lines (SQLite and PostgreSQL) — Σ uncapped of work and reversal lines per resident and month; redemptions and
volunteer lines count nowhere — and appends after the upgrade (store.points.append_points) add to the backfilled
rows."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import text

from domain.invariants.points import check_point_months
from store.db import make_engine, reading, transaction
from store.migrate import alembic_config, upgrade
from store.points import append_points
from usecases import invariant_rows as rows

LINES = (  # entry_key, kind, resident, month, points, uncapped
    ("pts:i1:work", "work", "r1", "2026-10", 12, 12),
    ("pts:i2:work", "work", "r1", "2026-11", 5, 8),  # capped: counts what the rule gave
    ("pts:i3:reverses:i2", "reversal", "r1", "2026-11", -5, -8),
    ("pts:i3:work", "work", "r1", "2026-11", 2, 2),
    ("pts:x1:redemption", "redemption", "r1", "2026-11", -10, 0),
    ("pts:t1:volunteer", "volunteer", "r2", "2026-11", 4, 4),
    ("pts:i4:work", "work", "r2", "2026-11", 0, 0),  # late work: a row of zero
)
EXPECTED = {("r1", "2026-10"): 12, ("r1", "2026-11"): 2, ("r2", "2026-11"): 0}


def test_upgrading_a_points_ledger_fills_point_month_and_appends_add_to_it(database_url: str) -> None:
    command.downgrade(alembic_config(database_url), "0008")
    engine = make_engine(database_url)
    zone = "+00" if engine.dialect.name == "postgresql" else ""  # SQLite keeps UTC without a zone
    with engine.begin() as db:
        for key, kind, resident, month, points, uncapped in LINES:
            db.execute(text("INSERT INTO point_entry (entry_key, kind, resident_id, community_id, month, points, "
                            "uncapped, posted_at) VALUES (:key, :kind, :resident, 'c1', :month, :points, :uncapped, "
                            ":at)"),
                       {"key": key, "kind": kind, "resident": resident, "month": month, "points": points,
                        "uncapped": uncapped, "at": "2026-11-20 03:00:00" + zone})
    upgrade(database_url)
    with reading(engine) as s:
        assert rows.point_months(s) == EXPECTED
        assert check_point_months(rows.point_lines(s), rows.point_months(s)) == []  # the backfill is the recount

    at = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)
    with transaction(engine) as s:
        append_points(s, [
            ("pts:i5:work", "work", "r1", "c1", "2026-11", 3, 3, "i5", None, None, 1, at),
            ("pts:i6:reverses:i1", "reversal", "r1", "c1", "2026-10", -12, -12, "i6", "pts:i1:work", None, 1, at),
            ("pts:i7:work", "work", "r3", "c1", "2026-11", 1, 1, "i7", None, None, 1, at),
            ("pts:t2:volunteer", "volunteer", "r3", "c1", "2026-11", 2, 2, None, None, None, 1, at)])
    with reading(engine) as s:
        assert rows.point_months(s) == {("r1", "2026-10"): 0, ("r1", "2026-11"): 5, ("r2", "2026-11"): 0,
                                        ("r3", "2026-11"): 1}
        assert check_point_months(rows.point_lines(s), rows.point_months(s)) == []
    engine.dispose()
