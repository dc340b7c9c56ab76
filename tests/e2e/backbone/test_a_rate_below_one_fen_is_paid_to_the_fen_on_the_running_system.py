"""Issue 16 on the running system (broker, relay, worker, API): beads at ¥35 per 1,000 (¥0.035 a bead) are paid
through the earnings consumer rounded once per lot, half-up to the fen, and `reconcile` agrees.

333 beads: 333 × ¥0.035 = ¥11.655 → ¥11.66 (1,166 fen). Then 667 more: the lot is 1,000 × ¥0.035 = ¥35.00, so the
second posting is 3,500 − 1,166 = 2,334 fen.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from services.harness import System, wait_until
from usecases.reconcile import reconcile

BEADS = {"product_code": "BEAD-09", "name": "小珠串", "skill": "beading", "standard_minutes_per_piece": 0.1,
         "defect_codes": ["LOOSE 松脱"], "lot_size": 1000, "min_lot_size": 20}


def _ok(reply: Any, status: int = 200) -> Any:
    assert reply.status_code == status, reply.text
    return reply.json()


def test_beads_at_35_yuan_a_thousand_are_paid_to_the_fen_by_the_worker(system: System) -> None:
    _ok(system.call("POST", "/api/v1/products", "city", json=BEADS), 201)
    _ok(system.call("POST", "/api/v1/orders", "ent1", json={
        "enterprise_id": "ent-01", "product_code": "BEAD-09", "quantity": 1000, "piece_rate_per_1000_yuan": "35",
        "due_at": (datetime.now(UTC) + timedelta(days=10)).isoformat(), "eligible_community_ids": ["comm-001"],
        "pickup_site_id": "comm-001-site-1"}), 201)
    offers: list[dict[str, Any]] = []

    def offered() -> bool:
        offers[:] = [o for o in _ok(system.call("GET", "/api/v1/offers", "coord1", params={"status": "pending"}))
                     if o["pieces"] == 1000]
        return bool(offers)

    wait_until(offered, timeout=90, what="an offer for the lot of beads", system=system)
    offer = offers[0]
    assert (offer["piece_rate_centifen"], offer["piece_rate_text"]) == (350, "¥35.00/千件")
    resident, lot = str(offer["resident_id"]), str(offer["lot_id"])
    _ok(system.call("POST", f"/api/v1/offers/{offer['id']}/answer", "coord1", json={"decision": "accept"}))
    _ok(system.call("POST", "/api/v1/materials/issue", "coord1",
                    json={"lot_id": lot, "resident_id": resident, "pieces": 1000}), 201)

    def earned() -> int:
        return int(_ok(system.call("GET", f"/api/v1/residents/{resident}/earnings", "coord1"))["total_fen"])

    for pieces, total in ((333, 1_166), (667, 3_500)):
        submission = _ok(system.call("POST", f"/api/v1/residents/{resident}/submissions", "coord1",
                                     json={"lot_id": lot, "pieces": pieces, "minutes_spent": 40}), 201)
        _ok(system.call("POST", "/api/v1/inspections", "coord1", json={
            "submission_id": submission["submission_id"], "passed": pieces, "rejected": 0}), 201)
        wait_until(lambda total=total: earned() == total, timeout=60,  # type: ignore[misc]
                   what=f"{total} fen paid for the lot's beads so far", system=system)
    lines = _ok(system.call("GET", f"/api/v1/residents/{resident}/earnings", "coord1"))["entries"]
    assert sorted((line["pieces"], line["amount_fen"]) for line in lines) == [(333, 1_166), (667, 2_334)]
    assert reconcile(system.engine) == []
