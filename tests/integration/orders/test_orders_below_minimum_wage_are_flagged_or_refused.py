"""The minimum-wage audit at posting: flagged to the enterprise and the coordinator with the figures, or refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from lots_world import ENTERPRISE, ENTERPRISE_ID, PRODUCT, LotsWorld, sign_in
from sqlmodel import func, select

from services.api.app import create_app
from store.db import reading
from store.tables import Order
from usecases.queries.names import order_names

LOW_RATE_FEN = 40  # 6 minutes a piece: 4.00 yuan an hour, against Shanghai's 25.00; 2.50 would be enough


def _order(community_id: str, rate_fen: int) -> dict[str, object]:
    return {"enterprise_id": ENTERPRISE_ID, "product_code": PRODUCT, "quantity": 10, "piece_rate_fen": rate_fen,
            "due_at": (datetime.now(UTC) + timedelta(days=5)).isoformat(), "eligible_community_ids": [community_id],
            "pickup_site_id": f"{community_id}-site"}


def test_an_order_below_the_minimum_wage_is_posted_flagged_and_both_sides_see_the_figures(world: LotsWorld) -> None:
    cid = world.community("mw")
    client = TestClient(create_app(world.settings))
    reply = client.post("/api/v1/orders", json=_order(cid, LOW_RATE_FEN), headers=sign_in(client, ENTERPRISE.username))
    assert reply.status_code == 201, reply.text
    assert reply.json()["below_minimum_wage"] is True
    world.pump()

    with reading(world.engine) as session:  # named as the enterprise's page names it, not by its id
        name = order_names(session, [reply.json()["order_id"]])[reply.json()["order_id"]]
    for username in (ENTERPRISE.username, f"coord-{cid}"):
        inbox = client.get("/api/v1/inbox", headers=sign_in(client, username)).json()
        flags = [m["text"] for m in inbox if m["text"].startswith(f"订单 {name}") and "低于最低工资" in m["text"]]
        assert len(flags) == 1, (username, inbox)
        for figure in ("¥0.40", "¥4.00", "¥25.00", "¥2.50"):  # rate, hourly, minimum, least fair rate
            assert figure in flags[0], (figure, flags[0])


def test_an_order_at_a_fair_rate_raises_no_flag(world: LotsWorld) -> None:
    cid = world.community("mf")
    world.order(cid, rate_fen=250)  # exactly 25.00 yuan an hour
    world.pump()
    assert world.inbox(f"enterprise:{ENTERPRISE_ID}") == []
    assert not any("最低工资" in text for text in world.inbox(f"coordinator:{cid}"))


def test_the_refusal_policy_answers_422_naming_the_piece_rate_and_posts_nothing(world: LotsWorld) -> None:
    cid = world.community("mr")
    refusing = world.settings.model_copy(update={"refuse_below_minimum_wage": True})
    client = TestClient(create_app(refusing))
    reply = client.post("/api/v1/orders", json=_order(cid, LOW_RATE_FEN), headers=sign_in(client, ENTERPRISE.username))
    assert reply.status_code == 422, reply.text
    [problem] = reply.json()["detail"]
    assert problem["field"] == "piece_rate_fen" and "¥2.50/件" in problem["reason"]
    with reading(world.engine) as session:
        assert session.exec(select(func.count()).select_from(Order)).one() == 0
    assert client.post("/api/v1/orders", json=_order(cid, 250),
                       headers=sign_in(client, ENTERPRISE.username)).status_code == 201
