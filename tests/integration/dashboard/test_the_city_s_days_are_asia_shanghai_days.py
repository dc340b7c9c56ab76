"""Issue 16 (new-user trial): the city's monthly Excel (社区月报-YYYY-MM.xlsx) began its sheet 每日合格件数 on the last
day of the month before while the page said 本月自 …月1日 起计. Every day the city sees is an Asia/Shanghai day: a
line at 23:30 on 31 October (15:30 UTC) is October's, one at 00:30 on 1 November (16:30 UTC on 31 October) is
November's, on the page's trend, in the report's daily sheet and month figures, and in the file's name — on SQLite
and PostgreSQL."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook
from sqlmodel import select

from bench.dashboard_world import actor, build_world
from store.db import reading, transaction
from store.ledger import append_entries, entry_row
from store.tables import Resident
from usecases.queries.dashboard import city_overview
from usecases.queries.exports import city_report_month, city_report_xlsx

CITY = actor("city", "city")
LATE_OCTOBER = datetime(2026, 10, 31, 15, 30, tzinfo=UTC)  # 23:30 on 31 Oct in Shanghai
EARLY_NOVEMBER = datetime(2026, 10, 31, 16, 30, tzinfo=UTC)  # 00:30 on 1 Nov in Shanghai: still 31 Oct in UTC


def _seed(database_url: str) -> object:
    world = build_world(database_url)
    with transaction(world.engine) as s:
        who = s.exec(select(Resident).where(Resident.community_id == "comm-001").order_by(Resident.id)).first()
        assert who is not None
        append_entries(s, [entry_row(entry_key=key, kind="piece_pay", resident_id=who.id, community_id="comm-001",
                                     pieces=pieces, amount_fen=pieces * 37, period_id=period, posted_at=at)
                           for key, pieces, period, at in (("t1:piece_pay", 7, "2026-10-B", LATE_OCTOBER),
                                                           ("t2:piece_pay", 5, "2026-11-A", EARLY_NOVEMBER))])
    return world


def _daily_sheet(data: bytes) -> tuple[list[str], list[tuple[date, str, int]]]:
    book = load_workbook(io.BytesIO(data))
    rows = list(book["每日合格件数"].iter_rows(values_only=True))[1:]
    as_day = [(d.date() if isinstance(d, datetime) else d, c, p) for d, c, p in rows]
    return book.sheetnames, as_day


def test_lines_either_side_of_shanghai_midnight_fall_on_their_shanghai_days(database_url: str) -> None:
    world = _seed(database_url)  # the bench world also holds this month's work, made at the real time
    for now in (datetime(2026, 10, 31, 17, 0, tzinfo=UTC),  # 01:00 on 1 Nov in Shanghai: the UTC month is October
                datetime(2026, 11, 15, 2, 0, tzinfo=UTC)):  # mid-month
        with reading(world.engine) as s:  # type: ignore[attr-defined]
            page = city_overview(s, CITY, now=now)
            report = city_report_xlsx(s, CITY, now=now)
        assert page.month_start.date() == date(2026, 11, 1), "the page says 本月自 2026年11月1日 起计"
        trend = {p.day: p.pieces for p in page.trend if p.community_id == "comm-001"}
        assert (trend[date(2026, 10, 31)], trend[date(2026, 11, 1)]) == (7, 5), now
        names, daily = _daily_sheet(report)
        assert min(d for d, _, _ in daily) == date(2026, 11, 1), f"the month's own days only, at {now}"
        assert [p for d, c, p in daily if (d, c) == (date(2026, 11, 1), "comm-001")] == [5], "00:30 is 1 Nov's"
        assert names[0] == "社区月报 2026-11" and city_report_month(now) == "2026-11"
        month = {c.community_id: c.pieces_passed_month for c in page.communities}
        assert month["comm-001"] == sum(p for _, c, p in daily if c == "comm-001"), "the 23:30 line is October's"

def test_the_report_is_named_by_the_shanghai_month() -> None:
    assert city_report_month(datetime(2026, 11, 30, 15, 59, tzinfo=UTC)) == "2026-11"  # 23:59 on 30 Nov
    assert city_report_month(datetime(2026, 11, 30, 16, 0, tzinfo=UTC)) == "2026-12"  # 00:00 on 1 Dec
