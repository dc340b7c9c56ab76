"""GET /api/v1/inbox: a resident reads their own messages, a coordinator their communities', nobody more."""

from __future__ import annotations

from fastapi.testclient import TestClient
from lots_world import ENTERPRISE, LotsWorld, sign_in

from domain.matching import rules
from services.api.app import create_app
from usecases.notify import ESCALATION_ZH


def test_offers_reach_the_resident_and_escalations_the_coordinator_only(world: LotsWorld) -> None:
    cid = world.community("ib")
    world.community("ib2")
    world.resident("ib-r1", cid, max_open_lots=1, login=True)
    world.resident("ib-r2", cid, skill="sewing", login=True)
    order_id = world.order(cid, quantity=20)
    world.pump()
    [offer] = world.offers(status="pending")
    escalated = next(lot for lot in world.lots(order_id) if lot.id != offer.lot_id)
    client = TestClient(create_app(world.settings))

    def read(username: str) -> list[str]:
        reply = client.get("/api/v1/inbox", headers=sign_in(client, username))
        assert reply.status_code == 200, reply.text
        return [m["text"] for m in reply.json()]

    [offered] = read("ib-r1")
    # The lot by its short code and product, as her cards and slips name it; never its internal id.
    assert f"批次 {world.code(offer.lot_id)} · 串珠" in offered and offer.lot_id not in offered
    assert offer.explanation_zh in offered
    assert read("ib-r2") == []
    coordinator = read("coord-ib")
    assert [t for t in coordinator if world.code(escalated.id) in t and ESCALATION_ZH[rules.BUSY] in t]
    assert not [t for t in coordinator if escalated.id in t]
    assert all(offer.explanation_zh not in t for t in coordinator)
    assert read("coord-ib2") == []
    assert read(ENTERPRISE.username) == []
    assert client.get("/api/v1/inbox").status_code == 401
