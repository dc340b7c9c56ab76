"""The coordinator's board raises late pay first and shows each resident's pay per hour against the minimum wage."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from bench.dashboard_pages import shown_text
from bench.dashboard_world import COORD1, COORD2
from store.db import reading, transaction
from store.tables import LedgerEntry, Resident

OCTOBER = datetime(2026, 10, 10, 2, 0, tzinfo=UTC)


def test_unpaid_pay_from_an_old_period_is_an_alarm_for_that_community_only(world, open_page) -> None:
    with transaction(world.engine) as session:  # October's first half, worked and never paid
        session.add(LedgerEntry(entry_key="ins-old:piece_pay", kind="piece_pay", resident_id=world.worker,
                                community_id="comm-001", pieces=30, rate_centifen=12500, amount_fen=3750,
                                period_id="2026-10-A", posted_at=OCTOBER))
    at = open_page("pages/coordinator.py", COORD1)
    assert not at.exception
    alarms = [e.value for e in at.error]
    assert len(alarms) == 1 and "第1社区 2026年10月上半月" in alarms[0] and "¥37.50" in alarms[0]
    assert not [e.value for e in open_page("pages/coordinator.py", COORD2).error]


def test_hourly_earnings_show_what_the_ledger_paid_this_period(world, open_page) -> None:
    with reading(world.engine) as session:
        earned = sum(e.amount_fen for e in session.exec(select(LedgerEntry).where(
            LedgerEntry.resident_id == world.worker)))
    assert earned == 45 * 125  # the worked lot: 45 passed at ¥1.25
    with reading(world.engine) as session:
        name = session.get(Resident, world.worker).name
    at = open_page("pages/coordinator.py", COORD1)
    table = next(df.value for df in at.dataframe if "每小时" in df.value.columns)
    row = table[table["居民"] == name]
    assert list(row["收入"]) == ["¥56.25"]
    assert name not in shown_text(open_page("pages/coordinator.py", COORD2))


def test_the_board_reads_in_english_too(world, open_page) -> None:
    at = open_page("pages/coordinator.py", COORD1, lang="en")
    assert not at.exception
    assert any("Per hour" in df.value.columns for df in at.dataframe)
