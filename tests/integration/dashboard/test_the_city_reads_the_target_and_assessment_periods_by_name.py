"""The city's page on 1 December 2026, 00:00 in Shanghai (16:00 UTC on 30 November), new-user trial:
- 同期目标 showed the whole year's target (it counted the months begun: twelve); it is now the share of the days of
  the year gone by, today counted (domain.income_target): 335/365 of ¥20,000 = ¥18,356.16;
- the assessment (考核) periods read '2026-12' and '2026-Q4'; they now read 2026年12月 and 2026年第四季度 in the
  picker, the drill-down, the star rating's heading and the Excel workbook."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import pytest
from openpyxl import load_workbook
from streamlit.runtime.media_file_manager import MediaFileManager

from bench.dashboard_world import actor
from dashboard import data
from store.db import reading
from usecases.assessment import assessment_table, star_ratings
from usecases.assessment_export import assessment_xlsx

CITY = actor("city", "city")
SHANGHAI_MIDNIGHT_DEC_1 = datetime(2026, 11, 30, 16, 0, 0, tzinfo=UTC)


@pytest.fixture
def city_on_december_the_first(world, open_page, monkeypatch):  # noqa: ANN001, ANN201
    monkeypatch.setattr(data, "now", lambda: SHANGHAI_MIDNIGHT_DEC_1)
    at = open_page("views/overview.py", CITY)
    assert not at.exception, at.exception
    return at


def test_the_target_to_date_on_december_the_first_is_not_the_whole_year(city_on_december_the_first) -> None:
    at = city_on_december_the_first
    target = next(m for m in at.metric if m.label == "同期目标")
    assert target.value == "¥18,356.16", target.value  # 2,000,000 fen × 335 / 365, not ¥20,000.00


def test_assessment_periods_read_as_people_name_them(city_on_december_the_first) -> None:
    at = city_on_december_the_first
    picker = at.selectbox(key="as_period")
    # The last finished month first (2026-12-01 trial: a day-old December read 评价人数不足 for everyone).
    assert picker.value == "2026-11" and picker.options[picker.index] == "2026年11月", picker.options
    assert "2026年12月" in picker.options and "2026年第四季度" in picker.options and "2026年" in picker.options
    assert not [o for o in picker.options if "-" in o], picker.options  # no '2026-12', no '2026-Q4'
    headings = [m.value for m in at.markdown if "星级评定" in m.value]
    assert headings == ["**星级评定 2026年第四季度**"], headings
    at.selectbox(key="as_period").select("2026-Q4").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="as_period").options[at.selectbox(key="as_period").index] == "2026年第四季度"


@pytest.mark.parametrize(("period", "sheet"), [("2026-12", "考核 2026年12月"), ("2026-Q4", "考核 2026年第四季度"),
                                               ("2026", "考核 2026年")])
def test_the_workbook_names_its_sheet_by_the_period_s_name(world, period: str, sheet: str) -> None:  # noqa: ANN001
    with reading(world.engine) as s:
        rows = assessment_table(s, CITY, period)
        stars = star_ratings(s, CITY, period) if "-Q" in period else None
    assert rows, "the world has coordinators to assess"
    names = load_workbook(io.BytesIO(assessment_xlsx(rows, stars))).sheetnames
    assert names[0] == sheet, names


def test_the_files_are_named_by_the_period_s_name(world, open_page, monkeypatch) -> None:  # noqa: ANN001
    """The assessment workbook was saved as assessment-2026-12.xlsx and the monthly report as 社区月报-2026-11.xlsx."""
    names: list[str] = []
    add, deferred = MediaFileManager.add, MediaFileManager.add_deferred

    def kept(self: MediaFileManager, data: Any, mimetype: Any, coordinates: str, file_name: str | None = None,
             *args: Any, **kwargs: Any) -> str:
        names.append(str(file_name))
        return add(self, data, mimetype, coordinates, file_name, *args, **kwargs)

    def kept_deferred(self: MediaFileManager, make: Any, mimetype: Any, coordinates: str,
                      file_name: str | None = None, **kwargs: Any) -> str:
        names.append(str(file_name))
        return deferred(self, make, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add", kept)
    monkeypatch.setattr(MediaFileManager, "add_deferred", kept_deferred)
    monkeypatch.setattr(data, "now", lambda: SHANGHAI_MIDNIGHT_DEC_1)
    at = open_page("views/overview.py", CITY)
    assert not at.exception
    xlsx = [n for n in names if n.endswith(".xlsx")]
    # On 1 December the report offered first is November's, the finished month (domain.report_month); the
    # assessment's period is still this month.
    assert "社区月报-2026年11月.xlsx" in xlsx and "社区工作者考核-2026年11月.xlsx" in xlsx, xlsx
