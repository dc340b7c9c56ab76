"""Bad input to the monthly 公示 over HTTP: a month that is not one, a community that does not exist, and names that
a spreadsheet would split or run. Each is refused naming its field (in Chinese first), or printed as the text it is."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from domain.points import mask_name
from store.db import transaction
from store.tables import Community, Resident
from tests.integration.points.conftest import PointsWorld

LISTING = "/api/v1/communities/{}/points/publicity"


@pytest.mark.parametrize("month", ["+026-11", " 202-11", "２０２６-11", "2026-13"])
def test_a_month_that_is_not_one_is_a_422_naming_month(points_api: PointsWorld, month: str) -> None:
    for fmt in ("json", "csv", "xlsx"):
        reply = points_api.call("GET", LISTING.format("comm-001"), "coord1", params={"month": month, "format": fmt})
        assert reply.status_code == 422, (fmt, reply.status_code, reply.text[:200])
        problem = reply.json()["detail"][0]
        assert problem["field"] == "month" and problem["reason"].startswith("月份格式应为 YYYY-MM")


@pytest.mark.parametrize("community_id", ["nope", "社区-x", 'x"; filename="evil.exe'])
def test_a_community_that_does_not_exist_is_a_404_naming_it_even_for_the_city(points_api: PointsWorld,
                                                                              community_id: str) -> None:
    points_api.sign_in("city")
    for fmt in ("json", "csv", "xlsx"):
        reply = points_api.call("GET", LISTING.format(community_id), "city", params={"month": "2026-11", "format": fmt})
        assert reply.status_code == 404, (fmt, reply.status_code, reply.text[:200])
        problem = reply.json()["detail"][0]
        assert problem["field"] == "community_id" and problem["reason"].startswith("没有这个社区")


def test_names_with_commas_quotes_line_breaks_or_formulas_stay_one_cell_of_text(points_api: PointsWorld,
                                                                                residents: list[str]) -> None:
    a, b = residents[0], residents[1]
    points_api.hand_in(a, pieces=200, passed=200, rate_fen=55)  # 16 points
    points_api.hand_in(b, pieces=100, passed=100, rate_fen=30)  # 4 points
    points_api.score()
    community = '=HYPERLINK("http://x","点"),幸福里\n"东区"' + "长" * 300
    with transaction(points_api.pay.engine) as session:
        first, second, place = session.get(Resident, a), session.get(Resident, b), session.get(Community, "comm-001")
        assert first is not None and second is not None and place is not None
        first.name, second.name, place.name = "=cmd|' /C calc'!A0", ',"张', community
        session.add_all([first, second, place])

    printed = points_api.call("GET", LISTING.format("comm-001"), "coord1", params={"month": "2026-11", "format": "csv"})
    assert printed.status_code == 200, printed.text
    cells = list(csv.reader(io.StringIO(printed.text.lstrip("\ufeff"))))
    assert cells == [["社区", "'" + community, "月份", "2026年11月"], ["姓名", "获得积分", "兑换积分"],
                     ["'" + mask_name(first.name), "16", "0"], [mask_name(second.name), "4", "0"],
                     ["合计", "20", "0"]]

    workbook = points_api.call("GET", LISTING.format("comm-001"), "coord1", params={"month": "2026-11",
                                                                                   "format": "xlsx"})
    assert workbook.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    assert sheet is not None
    by_text = {str(c.value): c for row in sheet.iter_rows() for c in row if c.value is not None}
    for text in (community, mask_name(first.name)):
        assert by_text[text].data_type == "s"  # text, never a formula the sheet runs
