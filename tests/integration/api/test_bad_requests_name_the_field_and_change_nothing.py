"""Bad input gets a 4xx naming the field and the reason, and leaves the database as it was."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import select

from services.api.app import create_app
from services.demo.city import DEMO_PASSWORD, build_city
from services.demo.seed import load_city
from store.db import reading
from store.tables import AuditRecord, Order, OutboxEvent
from usecases.settings import Settings


@pytest.fixture
def client(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    load_city(engine, settings, build_city(communities=1, residents_per_community=3))
    yield TestClient(create_app(settings))


def login(client: TestClient, username: str) -> dict[str, str]:
    token = client.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD})
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def fingerprint(engine: Engine) -> tuple[int, int, int]:
    with reading(engine) as session:
        return tuple(session.exec(select(func.count()).select_from(t)).one()  # type: ignore[return-value]
                     for t in (Order, OutboxEvent, AuditRecord))


def good_order(**changes: object) -> dict[str, object]:
    return {"enterprise_id": "ent-01", "product_code": "BEAD-01", "quantity": 120, "piece_rate_fen": 40,
            "due_at": (datetime.now(UTC) + timedelta(days=9)).isoformat(), "eligible_community_ids": ["comm-001"],
            "pickup_site_id": "comm-001-site-1"} | changes


@pytest.mark.parametrize(("changes", "field", "reason"), [
    ({"quantity": 0}, "quantity", "必须大于 0"),  # reasons in Chinese unless asked for English
    ({"piece_rate_fen": -5}, "piece_rate_fen", "必须大于 0"),
    ({"piece_rate_fen": 12.5}, "piece_rate_fen", "整数"),
    ({"piece_rate_fen": None}, "piece_rate_yuan", "计件单价须且只能填写一项"),  # a rate field, not 'body'
    ({"piece_rate_yuan": "0.40"}, "piece_rate_fen", "计件单价须且只能填写一项"),
    ({"due_at": "2020-01-01T00:00:00+08:00"}, "due_at", "将来"),
    ({"due_at": "2030-01-01T00:00:00"}, "due_at", "时区"),
    ({"product_code": "NOPE"}, "product_code", "没有这个产品"),
    ({"eligible_community_ids": ["comm-999"]}, "eligible_community_ids", "没有这个社区"),
    ({"pickup_site_id": "elsewhere"}, "pickup_site_id", ""),
    ({"enterprise_id": "ent-02"}, "enterprise_id", "只能为本企业"),
    ({"colour": "red"}, "colour", "不认识的字段"),
])
def test_a_bad_order_is_refused_naming_the_field(client: TestClient, engine: Engine, changes: dict[str, object],
                                                 field: str, reason: str) -> None:
    before = fingerprint(engine)
    reply = client.post("/api/v1/orders", headers=login(client, "ent1"), json=good_order(**changes))
    assert 400 <= reply.status_code < 500, reply.text
    problem = reply.json()["detail"][0]
    assert problem["field"] == field and reason in problem["reason"], problem
    assert fingerprint(engine) == before


def test_a_good_order_is_accepted_and_recorded_with_its_event(client: TestClient, engine: Engine) -> None:
    before = fingerprint(engine)
    reply = client.post("/api/v1/orders", headers=login(client, "ent1"), json=good_order())
    assert reply.status_code == 201, reply.text
    assert fingerprint(engine) == (before[0] + 1, before[1] + 1, before[2] + 1)


def test_malformed_json_is_a_422_not_a_crash(client: TestClient) -> None:
    reply = client.post("/api/v1/orders", headers={**login(client, "ent1"), "content-type": "application/json"},
                        content=b"{not json")
    assert reply.status_code == 422 and reply.json()["detail"][0]["reason"]


def test_without_a_token_the_api_says_to_sign_in(client: TestClient) -> None:
    reply = client.get("/api/v1/orders")
    assert reply.status_code == 401
    assert reply.json()["detail"] == [{"field": "authorization",
                                       "reason": "请先登录（请求须带 Authorization: Bearer 登录凭证）"}]


def test_a_forged_token_is_refused(client: TestClient) -> None:
    reply = client.get("/api/v1/orders", headers={"Authorization": "Bearer abc.def.ghi"})
    assert reply.status_code == 401 and reply.json()["detail"][0]["reason"] == "登录凭证无效，请重新登录"


def test_repeated_wrong_passwords_from_one_client_are_throttled_not_locked(client: TestClient) -> None:
    answers = [client.post("/api/v1/auth/token", json={"username": "coord1", "password": "wrong"}).status_code
               for _ in range(6)]
    # This client waits; the owner signing in from elsewhere does not (test_sign_in_throttle_keeps_the_owner_...).
    assert answers[0] == 401 and 429 in answers
