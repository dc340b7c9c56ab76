"""The monthly 公示 of a community: points earned and redeemed per person, names masked (张*梅), printable."""

from __future__ import annotations

from sqlmodel import col, select

from domain.points import mask_name
from domain.sheets import XLSX_MEDIA_TYPE, read_xlsx_rows
from schemas.points import AddShopItem, RedeemPoints
from store.db import reading
from store.tables import Resident
from tests.integration.points.conftest import PointsWorld
from usecases import shop


def test_the_list_shows_earned_and_redeemed_per_masked_name_to_residents_and_coordinators(
        points_api: PointsWorld, residents: list[str]) -> None:
    a, b = residents[0], residents[1]
    points_api.hand_in(a, pieces=200, passed=200, rate_fen=55)  # 16 points
    points_api.hand_in(b, pieces=100, passed=100, rate_fen=30)  # 4 points
    points_api.score()
    item, _ = points_api.pay.run(shop.add_shop_item, AddShopItem(community_id="comm-001", name="抽纸",
                                                                 price_points=3, stock=9))
    points_api.pay.run(shop.redeem, RedeemPoints(item_id=item.id, quantity=2, resident_id=a))  # 6 points, 代办
    with reading(points_api.pay.engine) as session:
        names = {r.id: r.name for r in session.exec(select(Resident).where(col(Resident.id).in_([a, b])))}

    month = "2026-11"  # the pay world's clock: 2026-11-10 in Shanghai
    for viewer in ("coord1", b):
        reply = points_api.call("GET", "/api/v1/communities/comm-001/points/publicity", viewer,
                                params={"month": month})
        assert reply.status_code == 200, reply.text
        body = reply.json()
        assert [(r["name"], r["earned"], r["redeemed"]) for r in body["rows"]] == [
            (mask_name(names[a]), 16, 6), (mask_name(names[b]), 4, 0)]
        assert (body["total_earned"], body["total_redeemed"]) == (20, 6)
        assert names[a] not in reply.text and names[b] not in reply.text

    printed = points_api.call("GET", "/api/v1/communities/comm-001/points/publicity", "coord1",
                              params={"month": month, "format": "csv"})
    community = body["community_name"]
    assert community and community != "comm-001"  # the name people use, printed and posted
    assert printed.text.startswith(f"\ufeff社区,{community},月份,2026年11月") and \
        f"{mask_name(names[a])},16,6" in printed.text
    workbook = points_api.call("GET", "/api/v1/communities/comm-001/points/publicity", "coord1",
                               params={"month": month, "format": "xlsx"})
    assert workbook.status_code == 200 and workbook.headers["content-type"] == XLSX_MEDIA_TYPE
    assert 'filename="points-comm-001-2026-11.xlsx"' in workbook.headers["content-disposition"]
    cells = read_xlsx_rows(workbook.content)
    assert cells[:4] == [["姓名", "获得积分", "兑换积分"], [mask_name(names[a]), "16", "6"],
                         [mask_name(names[b]), "4", "0"], ["合计", "20", "6"]]
    assert ["社区", community] in cells and ["月份", "2026年11月"] in cells and ["负责人签字"] in cells
    assert names[a] not in str(cells) and names[b] not in str(cells)
    listing = "/api/v1/communities/{}/points/publicity"
    assert points_api.call("GET", listing.format("comm-002"), a, params={"month": month}).status_code == 403
    assert points_api.call("GET", listing.format("comm-001"), "coord2", params={"month": month}).status_code == 403
    bad = points_api.call("GET", listing.format("comm-001"), "coord1", params={"month": "2026-13"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "month"
