"""Attack on issue 16's rates (SQLite and PostgreSQL): an order whose pay cannot be stored is refused at the door.

A ledger line, a payout and a period total are 32-bit integers of fen on PostgreSQL (¥21.4 M at most). Before this
check 3,000 pieces at ¥9,999.9999 were taken, inspected, and the ¥30 M line was lost by the earnings consumer on
PostgreSQL (reconcile found the whole lot missing). Now an order, or a rate change, worth more than
domain.pay.money.MAX_ORDER_VALUE_FEN is a 422 naming the field, and nothing is stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import select

from services.api.app import create_app
from services.demo.city import DEMO_PASSWORD, build_city
from services.demo.seed import load_city
from store.db import reading
from store.tables import Order, RateVersion
from usecases.settings import Settings

BIG = {"product_code": "BIG-01", "name": "大件", "skill": "beading", "standard_minutes_per_piece": 0.1,
       "defect_codes": ["LOOSE 松脱"], "lot_size": 3000, "min_lot_size": 20}


def _login(client: TestClient, username: str) -> dict[str, str]:
    reply = client.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD})
    assert reply.status_code == 200, reply.text
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}


def test_an_order_or_rate_worth_more_than_ten_million_yuan_is_refused(settings: Settings, engine: Engine) -> None:
    load_city(engine, settings, build_city(communities=1, residents_per_community=4))
    client = TestClient(create_app(settings))
    city, enterprise = _login(client, "city"), _login(client, "ent1")
    assert client.post("/api/v1/products", headers=city, json=BIG).status_code in (200, 201)
    order = {"enterprise_id": "ent-01", "product_code": "BIG-01", "quantity": 3000,
             "due_at": (datetime.now(UTC) + timedelta(days=10)).isoformat(), "eligible_community_ids": ["comm-001"],
             "pickup_site_id": "comm-001-site-1"}
    for rate in ({"piece_rate_yuan": "9999.9999"}, {"piece_rate_yuan": "3333.3334"},  # ¥10,000,000.20
                 {"piece_rate_yuan": "3333", "quality_bonus_fen_per_piece": 100_000}):  # the bonus counts too
        reply = client.post("/api/v1/orders", headers=enterprise, json={**order, **rate})
        assert reply.status_code == 422, reply.text
        [problem] = reply.json()["detail"]
        assert problem["field"] == "quantity" and "10,000,000 元" in problem["reason"], problem
    with reading(engine) as session:
        assert session.exec(select(Order)).all() == []

    # Exactly ¥10,000,000 is taken; raising its rate past the bound is refused naming the rate's field.
    reply = client.post("/api/v1/orders", headers=enterprise, json={**order, "piece_rate_yuan": "3333.3333"})
    assert reply.status_code == 201, reply.text
    order_id = reply.json()["order_id"]
    reply = client.post(f"/api/v1/orders/{order_id}/rate", headers=enterprise,
                        json={"piece_rate_per_1000_yuan": "3333334", "reason": "涨价测试"})
    assert reply.status_code == 422, reply.text
    [problem] = reply.json()["detail"]
    assert problem["field"] == "piece_rate_per_1000_yuan" and "10,000,000 元" in problem["reason"], problem
    with reading(engine) as session:
        stored = session.get(Order, order_id)
        assert stored is not None and stored.piece_rate_centifen == 33_333_333 and stored.rate_version == 1
        assert all(v.version == 1 for v in session.exec(select(RateVersion)).all())
