"""Lists page (a size and a cursor in, 'is there more' out) and error reasons are Chinese unless asked for English."""

from __future__ import annotations

from typing import Any

import pytest

ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}


def all_pages(world: Any, path: str, user: str, limit: int, **params: Any) -> tuple[list[dict[str, Any]], int]:
    """Every row of a list, following X-Next-Cursor; and how many pages it took."""
    rows, cursor, pages = [], None, 0
    while True:
        query = {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
        reply = world.client.get(path, params=query, headers=world.headers[user])
        assert reply.status_code == 200, reply.text
        page = reply.json()
        pages += 1
        assert len(page) <= limit
        rows += page
        if reply.headers["X-Has-More"] == "false":
            assert "X-Next-Cursor" not in reply.headers
            return rows, pages
        assert len(page) == limit and 'rel="next"' in reply.headers["Link"]
        cursor = reply.headers["X-Next-Cursor"]


@pytest.mark.parametrize(("path", "user"), [("/api/v1/lots", "coord1"), ("/api/v1/orders", "city"),
                                            ("/api/v1/orders", "coord1"), ("/api/v1/offers", "coord2"),
                                            ("/api/v1/inbox", "coord1"), ("/api/v1/residents", "coord1")])
def test_following_the_cursor_gives_every_row_once(world: Any, path: str, user: str) -> None:
    whole = world.client.get(path, params={"limit": 500}, headers=world.headers[user])
    assert whole.headers["X-Has-More"] == "false"
    everything = whole.json()
    assert len(everything) >= 2, f"{path} needs two rows to page"
    rows, pages = all_pages(world, path, user, limit=1)
    assert [r["id"] for r in rows] == [r["id"] for r in everything]  # same rows, same order, none twice
    assert pages == len(everything)


def test_a_cut_list_says_so(world: Any) -> None:
    reply = world.client.get("/api/v1/lots", params={"limit": 1}, headers=world.headers["coord1"])
    assert reply.headers["X-Has-More"] == "true" and reply.headers["X-Next-Cursor"]


def test_a_made_up_cursor_is_refused_naming_the_cursor(world: Any) -> None:
    reply = world.client.get("/api/v1/lots", params={"cursor": "not-ours"}, headers=world.headers["coord1"])
    assert reply.status_code == 422
    [problem] = reply.json()["detail"]
    assert problem["field"] == "cursor" and "翻页游标无效" in problem["reason"] and "cursor this API" not in \
        problem["reason"]
    english = world.client.get("/api/v1/lots", params={"cursor": "not-ours"},
                               headers={**world.headers["coord1"], **ENGLISH}).json()["detail"][0]["reason"]
    assert english.startswith("not a cursor this API gave out")


def test_reasons_are_chinese_by_default_and_english_on_request(world: Any) -> None:
    ent = world.headers["ent1"]
    missing = world.client.get("/api/v1/orders/ord-nope", headers=ent)
    assert missing.status_code == 404
    assert missing.json()["detail"] == [{"field": "order_id", "reason": "没有这个订单：ord-nope"}]
    assert world.client.get("/api/v1/orders/ord-nope", headers={**ent, **ENGLISH}).json()["detail"][0][
        "reason"] == "no such order: ord-nope"
    bad = world.client.post("/api/v1/orders", json={"enterprise_id": "ent-01"}, headers=ent)
    assert bad.status_code == 422
    reasons = {p["field"]: p["reason"] for p in bad.json()["detail"]}
    assert reasons["product_code"] == "必填"
    english = world.client.post("/api/v1/orders", json={"enterprise_id": "ent-01"}, headers={**ent, **ENGLISH})
    assert {p["field"]: p["reason"] for p in english.json()["detail"]}["product_code"] == "Field required"
    wrong = world.client.post("/api/v1/auth/token", json={"username": "ent1", "password": "not-it"})
    assert wrong.json()["detail"][0]["reason"] == "用户名或密码错误"
    nowhere = world.client.get("/api/v1/no-such-page", headers=ENGLISH)
    assert nowhere.status_code == 404 and nowhere.json()["detail"][0]["reason"] == "Not Found"
    assert world.client.get("/api/v1/no-such-page").json()["detail"][0]["reason"] == "没有这个地址"
