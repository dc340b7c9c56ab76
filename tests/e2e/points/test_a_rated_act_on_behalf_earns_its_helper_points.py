"""A 代办 act rated by its resident earns its helper points, on the running system (issue 17): real broker, relay,
worker (the points agent) and API.

comm-001 scores by the default rule, whose 代办 points by stars are 0/0/1/2/3. coord1 accepts the offer and hands
in the lot for the resident (two acts on their behalf); the resident, on the phone, finds both among what they may
rate and rates the hand-in 5: the points agent posts coord1 the rule's 3 points, once, and a second rating of the
same act is refused (409). The resident's own points are untouched by it; reconcile agrees.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from services.harness import System, wait_until
from usecases.reconcile_points import reconcile_points


def _ok(reply: Any, status: int = 200) -> Any:
    assert reply.status_code == status, reply.text
    return reply.json()


def test_a_hand_in_done_for_a_resident_and_rated_5_earns_its_helper_the_rule_s_points(system: System) -> None:
    _ok(system.call("POST", "/api/v1/points/rules", "coord1", json={"community_id": "comm-001", "reason": "试行"}),
        201)
    due = (datetime.now(UTC) + timedelta(days=10)).isoformat()
    _ok(system.call("POST", "/api/v1/orders", "ent1", json={
        "enterprise_id": "ent-01", "product_code": "PACK-03", "quantity": 200, "piece_rate_fen": 100,
        "due_at": due, "eligible_community_ids": ["comm-001"], "pickup_site_id": "comm-001-site-1"}), 201)
    offers: list[dict[str, Any]] = []

    def offered() -> bool:
        offers[:] = _ok(system.call("GET", "/api/v1/offers", "coord1", params={"status": "pending"}))
        return bool(offers)

    wait_until(offered, timeout=90, what="an offer for the lot", system=system)
    offer = offers[0]
    resident, lot = str(offer["resident_id"]), str(offer["lot_id"])
    _ok(system.call("POST", f"/api/v1/offers/{offer['id']}/answer", "coord1", json={"decision": "accept"}))
    _ok(system.call("POST", "/api/v1/materials/issue", "coord1",
                    json={"lot_id": lot, "resident_id": resident, "pieces": 200}), 201)
    _ok(system.call("POST", f"/api/v1/residents/{resident}/submissions", "coord1",
                    json={"lot_id": lot, "pieces": 200, "minutes_spent": 400}), 201)

    acts = {a["act_kind"]: a for a in _ok(system.call("GET", "/api/v1/ratings/acts", resident))}
    assert {acts["offer"]["helper"], acts["submission"]["helper"]} == {"coord1"}
    rated = {"act_kind": "submission", "act_id": acts["submission"]["act_id"]}
    _ok(system.call("POST", "/api/v1/ratings", resident, json={**rated, "stars": 5, "comment": "代交很及时"}), 201)
    _ok(system.call("POST", "/api/v1/ratings", resident, json={**rated, "stars": 2}), 409)

    wait_until(lambda: _ok(system.call("GET", "/api/v1/points/helper", "coord1"))["total"] == 3, timeout=60,
               what="coord1's 3 points for the hand-in rated 5", system=system)
    assert _ok(system.call("GET", "/api/v1/points", resident))["balance"] == 0  # not inspected yet: nothing earned
    seen = system.call("GET", "/api/v1/communities/comm-001/ratings", "coord1")
    assert _ok(seen)[0]["stars"] == 5 and resident not in seen.text
    assert reconcile_points(system.engine) == []
