"""The coordinator's board raises late pay first and shows each resident's pay per hour against the minimum wage."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from bench.dashboard_pages import shown_text
from bench.dashboard_world import COORD1, COORD2
from dashboard import data
from store.db import reading, transaction
from store.ledger import append_entries, entry_row
from store.tables import LedgerEntry, Resident

OCTOBER = datetime(2026, 10, 10, 2, 0, tzinfo=UTC)


def test_unpaid_pay_from_an_old_period_is_an_alarm_for_that_community_only(world, open_page) -> None:
    with transaction(world.engine) as session:  # October's first half, worked and never paid
        append_entries(session, [entry_row(  # as every writer does, so the read models hold it (issue 19)
            entry_key="ins-old:piece_pay", kind="piece_pay", resident_id=world.worker, community_id="comm-001",
            pieces=30, rate_centifen=12500, amount_fen=3750, period_id="2026-10-A", posted_at=OCTOBER)])
    at = open_page("views/coordinator.py", COORD1)
    assert not at.exception
    alarms = [e.value for e in at.error]
    assert len(alarms) == 1 and "第1社区 2026年10月上半月" in alarms[0] and "¥37.50" in alarms[0]
    assert not [e.value for e in open_page("views/coordinator.py", COORD2).error]


def test_hourly_earnings_show_what_the_ledger_paid_this_period(world, open_page) -> None:
    with reading(world.engine) as session:
        earned = sum(e.amount_fen for e in session.exec(select(LedgerEntry).where(
            LedgerEntry.resident_id == world.worker)))
    assert earned == 45 * 125  # the worked lot: 45 passed at ¥1.25
    with reading(world.engine) as session:
        name = session.get(Resident, world.worker).name
    at = open_page("views/coordinator.py", COORD1)
    table = next(df.value for df in at.dataframe if "每小时" in df.value.columns)
    row = table[table["居民"] == name]
    assert list(row["收入"]) == ["¥56.25"]
    assert name not in shown_text(open_page("views/coordinator.py", COORD2))


def test_the_board_reads_in_english_too(world, open_page) -> None:
    at = open_page("views/coordinator.py", COORD1, lang="en")
    assert not at.exception
    assert any("Per hour" in df.value.columns for df in at.dataframe)


def test_pay_due_less_than_a_day_ago_is_due_today_never_zero_days_late(world, open_page, monkeypatch) -> None:
    """Just after a half month ends its pay is due (domain.pay.periods.overdue_unpaid): the alarm said '已逾期 0 天'
    (new user's trial, minutes after midnight); it now says the pay is due and to pay it today, here and under
    发放工资."""
    with transaction(world.engine) as session:
        append_entries(session, [entry_row(  # as every writer does, so the read models hold it (issue 19)
            entry_key="ins-old:piece_pay", kind="piece_pay", resident_id=world.worker, community_id="comm-001",
            pieces=30, rate_centifen=12500, amount_fen=3750, period_id="2026-10-A", posted_at=OCTOBER)])
    # 2026-10-A ended at 16 Oct 00:00 in Shanghai (15 Oct 16:00 UTC); eleven hours later it is due, not a day late.
    monkeypatch.setattr(data, "now", lambda: datetime(2026, 10, 16, 3, 0, tzinfo=UTC))
    at = open_page("views/coordinator.py", COORD1)
    assert not at.exception
    [alarm] = [e.value for e in at.error]
    assert alarm == "第1社区 2026年10月上半月 的工资已到期，尚欠 ¥37.50：请今天发放。", alarm
    at.segmented_control(key="co_section").set_value("pay").run()
    assert any(w.value.startswith("第1社区 2026年10月上半月 的工资已到期") for w in at.warning)
    assert "逾期 0 天" not in shown_text(at)
    monkeypatch.setattr(data, "now", lambda: datetime(2026, 10, 16, 17, 0, tzinfo=UTC))  # a day and more: late
    assert "已逾期 1 天" in open_page("views/coordinator.py", COORD1).error[0].value
