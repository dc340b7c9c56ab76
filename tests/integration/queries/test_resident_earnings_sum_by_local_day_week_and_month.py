"""A resident's earnings today, this week and this month follow the Beijing calendar, whatever the ledger's size."""

from __future__ import annotations

from datetime import UTC, datetime

from store.db import make_engine, reading, transaction
from store.tables import Community, LedgerEntry, Resident
from usecases.actors import Actor
from usecases.queries.reads import earnings

NOW = datetime(2026, 11, 19, 2, 0, tzinfo=UTC)  # Thursday 19 November, 10:00 in Beijing
ME = Actor(username="r1", role="resident", resident_id="comm-001-r001", community_ids=frozenset({"comm-001"}))
POSTED = {  # amount in fen → when it was posted (UTC); Beijing is 8 hours ahead
    1: datetime(2026, 11, 18, 16, 0, tzinfo=UTC),  # 00:00 today in Beijing: today
    20: datetime(2026, 11, 18, 15, 59, tzinfo=UTC),  # 23:59 yesterday in Beijing: this week, not today
    300: datetime(2026, 11, 15, 16, 0, tzinfo=UTC),  # Monday 00:00 in Beijing: this week
    4000: datetime(2026, 11, 15, 15, 59, tzinfo=UTC),  # Sunday 23:59 in Beijing: this month, not this week
    50000: datetime(2026, 10, 31, 16, 0, tzinfo=UTC),  # 1 November 00:00 in Beijing: this month
    600000: datetime(2026, 10, 31, 15, 59, tzinfo=UTC),  # 31 October in Beijing: only in the total
}


def test_earnings_are_summed_on_local_day_week_and_month_boundaries(database_url: str) -> None:
    engine = make_engine(database_url)
    with transaction(engine) as session:
        session.add(Community(id="comm-001", name="一社区", street="街道", district="区", city="Hangzhou"))
        session.add(Resident(id="comm-001-r001", community_id="comm-001", name="王阿姨", registered_at=NOW))
        session.add(Resident(id="comm-001-r002", community_id="comm-001", name="李叔", registered_at=NOW))
        for amount, at in POSTED.items():
            session.add(LedgerEntry(entry_key=f"k{amount}", kind="piece_pay", resident_id="comm-001-r001",
                                    community_id="comm-001", pieces=amount, rate_centifen=100, amount_fen=amount,
                                    period_id="2026-11-B", posted_at=at))
        session.add(LedgerEntry(entry_key="other", kind="piece_pay", resident_id="comm-001-r002",
                                community_id="comm-001", pieces=7, rate_centifen=100, amount_fen=7,
                                period_id="2026-11-B", posted_at=NOW))
    with reading(engine) as session:
        mine = earnings(session, ME, "comm-001-r001", now=NOW)
    assert (mine.today_fen, mine.week_fen, mine.month_fen, mine.total_fen) == (1, 321, 54321, 654321)
    assert [line.amount_fen for line in mine.entries] == [1, 20, 300, 4000, 50000, 600000]  # newest first
