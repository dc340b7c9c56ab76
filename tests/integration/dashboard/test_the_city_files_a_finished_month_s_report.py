"""New-user trial: on the 1st the city page offered only this month's report (社区月报-2026年12月.xlsx, six hours of
data, its 年化人均 those hours times a year) and last month's could no longer be had. The page now offers the months
with data, the last finished month first and chosen, this month last and marked 本月（未结束）; the file is named by
the month chosen and holds that month's figures, an unfinished month without an annualised figure."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlmodel import select
from streamlit.runtime.media_file_manager import MediaFileManager

from bench.dashboard_world import actor
from dashboard import data
from store.db import transaction
from store.ledger import append_entries, entry_row
from store.tables import Resident

CITY = actor("city", "city")
NOW = datetime(2030, 2, 28, 22, 0, tzinfo=UTC)  # 06:00 on 1 March 2030 in Shanghai


def _seed(world: Any) -> None:
    """comm-001: January 40 pieces, February 100 (two residents), 1 March 00:30 10 pieces; ¥0.37 each."""
    with transaction(world.engine) as s:
        a, b = s.exec(select(Resident.id).where(Resident.community_id == "comm-001").order_by(Resident.id)).all()[:2]
        append_entries(s, [entry_row(entry_key=key, kind="piece_pay", resident_id=who, community_id="comm-001",
                                     pieces=pieces, amount_fen=pieces * 37, period_id=period, posted_at=at)
                           for key, who, pieces, period, at in (
                               ("j1:piece_pay", a, 40, "2030-01-B", datetime(2030, 1, 20, 2, tzinfo=UTC)),
                               ("f1:piece_pay", a, 60, "2030-02-B", datetime(2030, 2, 20, 2, tzinfo=UTC)),
                               ("f2:piece_pay", b, 40, "2030-02-B", datetime(2030, 2, 21, 2, tzinfo=UTC)),
                               ("m1:piece_pay", a, 10, "2030-03-A", datetime(2030, 2, 28, 16, 30, tzinfo=UTC)))])


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], Any]]:
    """file name → what the page would hand the browser, for every download button rendered."""
    files: dict[str, Callable[[], Any]] = {}
    deferred = MediaFileManager.add_deferred

    def kept(self: MediaFileManager, make: Any, mimetype: Any, coordinates: str, file_name: str | None = None,
             **kwargs: Any) -> str:
        files[str(file_name)] = make
        return deferred(self, make, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", kept)
    monkeypatch.setattr(data, "now", lambda: NOW)
    return files


def _month_row(workbook: bytes, month: str) -> tuple[list[Any], list[Any]]:
    sheet = load_workbook(io.BytesIO(workbook))[f"社区月报 {month}"]
    header, *rows = sheet.iter_rows(values_only=True)
    [row] = [r for r in rows if r[0] == "comm-001"]
    return list(header), list(row)


def test_on_the_first_the_page_offers_last_month_s_report(world, open_page, downloads) -> None:  # noqa: ANN001
    _seed(world)
    at = open_page("views/overview.py", CITY)
    assert not at.exception
    picker = at.selectbox(key="ov_report_month")
    assert picker.value == "2030-02" and picker.options[0] == "2030年2月"
    assert picker.options[-1] == "2030年3月（本月，未结束）" and "2030年1月" in picker.options
    assert any("年化人均 = 当月人均 × 365 ÷ 当月天数" in c.value for c in at.caption)
    header, row = _month_row(downloads["社区月报-2030年2月.xlsx"](), "2030-02")
    assert (row[header.index("在岗居民")], row[header.index("本月收入（元）")]) == (2, 37.0)  # February's lines only
    assert row[13] == pytest.approx(1850 * 365 // 28 / 100)  # ¥18.50 a person × 365 ÷ 28 days


def test_this_month_s_report_is_marked_unfinished_and_not_annualised(world, open_page, downloads) -> None:  # noqa: ANN001
    _seed(world)
    at = open_page("views/overview.py", CITY)
    at.selectbox(key="ov_report_month").select("2030-03").run()
    assert not at.exception
    assert any("2030年3月尚未结束" in c.value for c in at.caption)
    header, row = _month_row(downloads["社区月报-2030年3月.xlsx"](), "2030-03")
    assert header[13] == "年化人均（本月未结束，不折算）" and row[13] in (None, "")
    assert row[header.index("本月收入（元）")] == 3.7  # six hours of March, not multiplied up to a year
    at.selectbox(key="ov_report_month").select("2030-01").run()
    header, row = _month_row(downloads["社区月报-2030年1月.xlsx"](), "2030-01")
    assert (row[header.index("在岗居民")], row[header.index("本月收入（元）")]) == (1, 14.8)
