"""The points shop over HTTP: own balance only, 代办 at the counter audited, refusals name the field (409)."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient
from sqlmodel import select

from store.db import reading
from store.tables import AuditRecord, ShopItem
from tests.integration.points.conftest import PointsWorld


def _item(world: PointsWorld, *, price: int, stock: int, name: str = "抽纸") -> str:
    reply = world.call("POST", "/api/v1/shop/items", "coord1",
                       json={"community_id": "comm-001", "name": name, "price_points": price, "stock": stock})
    assert reply.status_code == 201, reply.text
    return str(reply.json()["id"])


def test_a_resident_redeems_from_their_own_balance_and_sees_only_their_own(points_api: PointsWorld,
                                                                           residents: list[str]) -> None:
    me, neighbour = residents[0], residents[1]
    points_api.hand_in(me, pieces=200, passed=200, rate_fen=55)  # 16 points (see the scoring test)
    points_api.score()
    item = _item(points_api, price=5, stock=10)

    reply = points_api.call("POST", "/api/v1/shop/redemptions", me, json={"item_id": item, "quantity": 3})
    assert reply.status_code == 201, reply.text
    assert (reply.json()["points"], reply.json()["on_behalf"]) == (15, False)
    mine = points_api.call("GET", "/api/v1/points", me).json()
    assert (mine["balance"], mine["earned"], mine["redeemed"]) == (1, 16, 15)

    assert points_api.call("GET", "/api/v1/points", me, params={"resident_id": neighbour}).status_code == 403
    refused = points_api.call("POST", "/api/v1/shop/redemptions", me,
                              json={"item_id": item, "resident_id": neighbour})
    assert refused.status_code == 403 and refused.json()["detail"][0]["field"] == "resident_id"
    assert points_api.call("GET", "/api/v1/points", "coord2", params={"resident_id": me}).status_code == 404


def test_short_stock_or_points_is_a_409_naming_the_field_in_chinese_and_changes_nothing(
        points_api: PointsWorld, residents: list[str]) -> None:
    me = residents[0]
    points_api.hand_in(me, pieces=100, passed=100, rate_fen=30)  # 3,000 fen → 3 + 1 = 4 points
    points_api.score()
    rice = _item(points_api, price=10, stock=5, name="大米")
    cups = _item(points_api, price=1, stock=1, name="纸杯")

    poor = points_api.call("POST", "/api/v1/shop/redemptions", me, json={"item_id": rice})
    short = points_api.call("POST", "/api/v1/shop/redemptions", me, json={"item_id": cups, "quantity": 2})
    assert poor.status_code == short.status_code == 409
    assert poor.json()["detail"][0]["field"] == "points" and poor.json()["detail"][0]["reason"].startswith("积分不足")
    assert short.json()["detail"][0]["field"] == "quantity"
    assert short.json()["detail"][0]["reason"].startswith("库存不足")
    assert points_api.call("GET", "/api/v1/points", me).json()["balance"] == 4
    with reading(points_api.pay.engine) as session:
        assert {i.name: i.stock for i in session.exec(select(ShopItem))} == {"大米": 5, "纸杯": 1}


def test_a_coordinator_redeems_at_the_counter_on_the_resident_s_behalf_in_the_audit_trail(
        points_api: PointsWorld, residents: list[str]) -> None:
    resident = residents[1]
    points_api.hand_in(resident, pieces=200, passed=200, rate_fen=55)
    points_api.score()
    oil = _item(points_api, price=16, stock=2, name="食用油")

    assert points_api.call("POST", "/api/v1/shop/redemptions", "coord1", json={"item_id": oil}).json()[
        "detail"][0]["field"] == "resident_id"
    assert points_api.call("POST", "/api/v1/shop/redemptions", "coord2",
                           json={"item_id": oil, "resident_id": resident}).status_code == 404
    done = points_api.call("POST", "/api/v1/shop/redemptions", "coord1", json={"item_id": oil, "resident_id": resident})
    assert done.status_code == 201 and done.json()["on_behalf"] is True
    with reading(points_api.pay.engine) as session:
        record = session.exec(select(AuditRecord).where(AuditRecord.action == "points.redeem")).one()
    assert (record.actor, record.on_behalf_of, record.detail["points"]) == ("coord1", resident, 16)


def test_two_concurrent_redemptions_of_the_last_item_one_succeeds_the_other_is_a_409(
        points_api: PointsWorld, residents: list[str]) -> None:
    a, b = residents[0], residents[1]
    for resident in (a, b):
        points_api.hand_in(resident, pieces=200, passed=200, rate_fen=55)
    points_api.score()
    last = _item(points_api, price=10, stock=1, name="洗衣液")
    assert points_api.client is not None
    app = points_api.client.app
    start = threading.Barrier(2)
    replies: dict[str, tuple[int, dict[str, object]]] = {}

    def redeem(resident: str) -> None:
        with TestClient(app) as client:  # one client per thread: two requests truly at once
            start.wait()
            reply = client.post("/api/v1/shop/redemptions", headers=points_api.headers[resident],
                                json={"item_id": last})
            replies[resident] = (reply.status_code, reply.json())

    threads = [threading.Thread(target=redeem, args=(r,)) for r in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert sorted(status for status, _ in replies.values()) == [201, 409]
    loser = next(body for status, body in replies.values() if status == 409)
    assert loser["detail"][0]["field"] == "quantity"  # type: ignore[index]
    with reading(points_api.pay.engine) as session:
        assert session.get(ShopItem, last).stock == 0  # type: ignore[union-attr]
    balances = sorted(points_api.call("GET", "/api/v1/points", r).json()["balance"] for r in (a, b))
    assert balances == [6, 16]


def test_a_redemption_sent_twice_with_its_reference_takes_the_points_and_the_stock_once(
        points_api: PointsWorld, residents: list[str]) -> None:
    """A phone that sends 兑换 again (a retry after a lost answer), or two at once: one redemption
    (usecases.receipts)."""
    me = residents[0]
    points_api.hand_in(me, pieces=200, passed=200, rate_fen=55)  # 16 points
    points_api.score()
    item = _item(points_api, price=5, stock=10)
    body = {"item_id": item, "reference": "redeem-tap-1"}
    first, again = (points_api.call("POST", "/api/v1/shop/redemptions", me, json=body) for _ in range(2))
    assert (first.status_code, again.status_code) == (201, 201) and first.json()["id"] == again.json()["id"]
    assert points_api.client is not None
    gate = threading.Barrier(2)
    replies: list[int] = []

    last = _item(points_api, price=5, stock=1, name="香皂")  # twins for the last one: neither is told 库存不足

    def redeem() -> None:
        with TestClient(points_api.client.app) as client:  # type: ignore[union-attr]
            gate.wait()
            replies.append(client.post("/api/v1/shop/redemptions", headers=points_api.headers[me],
                                       json={"item_id": last, "reference": "redeem-tap-2"}).status_code)

    threads = [threading.Thread(target=redeem) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert replies == [201, 201]
    with reading(points_api.pay.engine) as session:
        assert session.get(ShopItem, item).stock == 9  # type: ignore[union-attr]
        assert session.get(ShopItem, last).stock == 0  # type: ignore[union-attr]
    mine = points_api.call("GET", "/api/v1/points", me).json()
    assert (mine["balance"], mine["redeemed"]) == (6, 10)
