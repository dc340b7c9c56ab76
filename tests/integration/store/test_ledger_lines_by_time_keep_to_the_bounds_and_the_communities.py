"""The two readers of ledger lines by time through store.ledger.posted_between (issue 19: the community compared as
an expression, read through the posted_at index): an assessment's income for bounds at and a microsecond either side
of an Asia/Shanghai midnight, at a month's end, empty and reversed ranges, and the dashboard trend's partial first
day, for communities whose ids are prefixes of others' or hold LIKE's % and _, none, or all. Each answer equals the
lines summed one by one here; in a transaction and in the API's autocommit reads (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from store.db import reading, reading_statements, transaction
from store.ledger import LEDGER_COLUMNS, append_entries
from usecases.assessment_record import _income
from usecases.queries.dashboard import _trend

SHANGHAI = ZoneInfo("Asia/Shanghai")
COMMUNITIES = ["c", "c1", "c10", "c%", "c_", "社区"]
MONTH_START = datetime(2026, 11, 1, tzinfo=SHANGHAI)
MONTH_END = datetime(2026, 12, 1, tzinfo=SHANGHAI)
TICK = timedelta(microseconds=1)


def test_lines_by_time_are_those_in_the_range_and_the_communities(engine: Engine) -> None:
    instants = [MONTH_START - TICK, MONTH_START, MONTH_START + TICK, MONTH_END - TICK, MONTH_END] + \
               [MONTH_START + timedelta(hours=h) for h in (-24, -5, 3, 23, 47)]
    rows, lines = [], []
    for i, at in enumerate(instants):
        for j, community in enumerate(COMMUNITIES):
            amount, pieces = 100 * (i + 1) + j, i + j + 1
            line = {"entry_key": f"l{i}:{j}:piece_pay", "kind": "piece_pay", "resident_id": f"r{j}",
                    "community_id": community, "pieces": pieces, "rate_centifen": 100, "amount_fen": amount,
                    "period_id": "p", "memo": "", "posted_at": at.astimezone(UTC)}
            rows.append(tuple(line.get(name) for name in LEDGER_COLUMNS))
            lines.append((community, at, amount, pieces))
    with transaction(engine) as session:
        append_entries(session, rows)
    bounds = [MONTH_START, MONTH_START + TICK, MONTH_START - TICK, MONTH_START + timedelta(hours=3), MONTH_END,
              MONTH_START - timedelta(days=1)]
    chosen = [["c"], ["c1"], ["c%"], ["c_"], ["社区", "c10"], [], COMMUNITIES]
    for session_of in (reading, reading_statements):
        with session_of(engine) as session:
            for start in bounds:
                for end in bounds:
                    for ids in chosen:
                        income = sum(a for c, at, a, _ in lines if c in ids and start <= at < end)
                        assert _income(session, ids, start, end) == income, (start, end, ids)
                for ids in chosen:
                    trend: dict[tuple[date, str], int] = {}
                    for c, at, _, p in lines:
                        if c in ids and at >= start:
                            key = (at.astimezone(SHANGHAI).date(), c)
                            trend[key] = trend.get(key, 0) + p
                    shown = _trend(session, ids, since=start, until=date.max)  # every day after `since`
                    assert {(d.day, d.community_id): d.pieces for d in shown} == trend
