"""Points (积分) on the running system: real broker, relay, worker (the points agent) and API.

comm-001 scores by the default rule: 1 point per ¥10 of piece pay on a lot handed in by its due date and passing
(≥ 90%), +50% from a 98% pass rate. An order of 200 PACK-03 at 100 fen is one lot of 200 pieces (lot size 200),
due in 10 days. Handed in today and all 200 passed: 200 × 100 fen = ¥200 → 20 points; 100% ≥ 98% → +10 → 30.
A correction to 0 passed / 200 rejected reverses the 30 and earns nothing: the balance is 0 again.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from services.harness import System, wait_until
from usecases.reconcile_points import reconcile_points


def _ok(reply: Any, status: int = 200) -> Any:
    assert reply.status_code == status, reply.text
    return reply.json()


def _points(system: System, resident: str) -> dict[str, Any]:
    return dict(_ok(system.call("GET", "/api/v1/points", "coord1", params={"resident_id": resident})))


def test_an_on_time_passing_lot_earns_its_points_and_a_correction_to_rejected_reverses_them(system: System) -> None:
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
    submission = next(s for s in _ok(system.call("GET", "/api/v1/submissions", "coord1")) if s["lot_id"] == lot)
    inspection = _ok(system.call("POST", "/api/v1/inspections", "coord1", json={
        "submission_id": submission["id"], "passed": 200, "rejected": 0, "defect_codes": []}), 201)["inspection_id"]

    wait_until(lambda: _points(system, resident)["balance"] == 30, timeout=60,
               what="30 points for the passing lot", system=system)
    assert [(line["kind"], line["points"]) for line in _points(system, resident)["lines"]] == [("work", 30)]

    _ok(system.call("POST", "/api/v1/inspections", "coord1", json={
        "submission_id": submission["id"], "passed": 0, "rejected": 200, "defect_codes": ["SEAL"],
        "corrects_inspection_id": inspection}), 201)
    wait_until(lambda: len(_points(system, resident)["lines"]) == 3, timeout=60,
               what="the correction's reversal", system=system)
    mine = _points(system, resident)
    assert mine["balance"] == 0
    assert sorted((line["kind"], line["points"]) for line in mine["lines"]) == [
        ("reversal", -30), ("work", 0), ("work", 30)]
    assert reconcile_points(system.engine) == []
