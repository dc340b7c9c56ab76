"""Over HTTP: the coordinator issues, the resident hands in (rework included), the coordinator inspects, and the
enterprise's GET of the order shows it fulfilled with first hand-ins and resubmissions counted apart."""

from __future__ import annotations

from fastapi.testclient import TestClient
from lots_world import ENTERPRISE, LotsWorld, sign_in

from services.api.app import create_app


def test_the_enterprise_sees_its_order_fulfilled_after_rework(world: LotsWorld) -> None:
    cid = "hp"
    [resident] = world.crew(cid, n=1, max_open_lots=1)
    order_id = world.order(cid, quantity=10)
    world.pump()
    [offer] = world.offers(status="pending")
    client = TestClient(create_app(world.settings))
    coordinator, enterprise = sign_in(client, f"coord-{cid}"), sign_in(client, ENTERPRISE.username)

    def post(path: str, body: dict[str, object]) -> dict[str, str]:
        reply = client.post(f"/api/v1{path}", json=body, headers=coordinator)
        assert reply.status_code in (200, 201), reply.text
        return dict(reply.json() or {})

    post(f"/offers/{offer.id}/answer", {"decision": "accept"})
    post("/materials/issue", {"lot_id": offer.lot_id, "resident_id": resident, "pieces": 10})
    first = post(f"/residents/{resident}/submissions", {"lot_id": offer.lot_id, "pieces": 8})["submission_id"]
    post("/inspections", {"submission_id": first, "passed": 6, "rejected": 2, "defect_codes": ["LOOSE"],
                          "rework": True})
    assert client.get(f"/api/v1/orders/{order_id}", headers=enterprise).json()["status"] == "in_progress"
    again = post(f"/residents/{resident}/submissions", {"lot_id": offer.lot_id, "pieces": 4})["submission_id"]
    post("/inspections", {"submission_id": again, "passed": 4, "rejected": 0})

    order = client.get(f"/api/v1/orders/{order_id}", headers=enterprise).json()
    assert order["status"] == "fulfilled"
    assert (order["quantity"], order["pieces_submitted"], order["pieces_resubmitted"], order["pieces_passed"]) == (
        10, 10, 2, 10)
