"""Attack on issue 16's rounding (SQLite and PostgreSQL): a lot at ¥0.0125 a piece is paid in four parts and two
parts are taken back by correction. Its pay stays the rounded lot total at every step, reconcile agrees, and the
invariant audit (microfactory audit) passes: before the fix it reported every such reversal as breaking the
append-only ledger, since a reversal takes back what the lot's rounded total loses (−1 fen against a +2 posting),
not the part's own rounding. The enterprise's rate change after the lot was accepted leaves the lot's rate alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import select

from services.api.app import create_app
from services.demo.city import DEMO_PASSWORD, build_city
from services.demo.seed import load_city
from store.db import reading
from store.tables import LedgerEntry, Offer
from usecases import invariants
from usecases.inline import pump
from usecases.reconcile import reconcile
from usecases.settings import Settings

TAGS = {"product_code": "TAG-01", "name": "吊牌", "skill": "beading", "standard_minutes_per_piece": 0.01,
        "defect_codes": ["LOOSE 松脱"], "lot_size": 100, "min_lot_size": 20}


def _login(client: TestClient, username: str) -> dict[str, str]:
    reply = client.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD})
    assert reply.status_code == 200, reply.text
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}


def _ok(reply: Any) -> Any:
    assert reply.is_success, reply.text
    return reply.json()


def test_corrections_of_a_sub_fen_lot_keep_its_rounded_total_and_the_audit_clean(
    settings: Settings, engine: Engine
) -> None:
    load_city(engine, settings, build_city(communities=1, residents_per_community=4))
    client = TestClient(create_app(settings))
    city, enterprise, coordinator = _login(client, "city"), _login(client, "ent1"), _login(client, "coord1")
    _ok(client.post("/api/v1/products", headers=city, json=TAGS))
    order = _ok(client.post("/api/v1/orders", headers=enterprise, json={
        "enterprise_id": "ent-01", "product_code": "TAG-01", "quantity": 100, "piece_rate_yuan": "0.0125",
        "due_at": (datetime.now(UTC) + timedelta(days=10)).isoformat(), "eligible_community_ids": ["comm-001"],
        "pickup_site_id": "comm-001-site-1"}))
    cursor = pump(engine, settings)
    with reading(engine) as session:
        offer = session.exec(select(Offer).where(Offer.status == "pending")).one()
    _ok(client.post(f"/api/v1/offers/{offer.id}/answer", headers=coordinator, json={"decision": "accept"}))
    _ok(client.post(f"/api/v1/orders/{order['order_id']}/rate", headers=enterprise,
                    json={"piece_rate_yuan": "0.9999", "reason": "涨价"}))  # after acceptance: not this lot's rate
    _ok(client.post("/api/v1/materials/issue", headers=coordinator,
                    json={"lot_id": offer.lot_id, "resident_id": offer.resident_id, "pieces": offer.pieces}))
    parts = []
    for _ in range(4):
        sub = _ok(client.post(f"/api/v1/residents/{offer.resident_id}/submissions", headers=coordinator,
                              json={"lot_id": offer.lot_id, "pieces": 1, "minutes_spent": 1}))
        inspection = _ok(client.post("/api/v1/inspections", headers=coordinator,
                                     json={"submission_id": sub["submission_id"], "passed": 1, "rejected": 0}))
        parts.append((sub["submission_id"], inspection["inspection_id"]))
        cursor = pump(engine, settings, after_id=cursor)
    # 1, 2, 3, 4 pieces × 1.25 fen round to 1, 3, 4, 5: the parts post 1, 2, 1, 1.
    assert _ledger(engine) == [("piece_pay", 1, 125, 1), ("piece_pay", 1, 125, 2), ("piece_pay", 1, 125, 1),
                               ("piece_pay", 1, 125, 1)]
    for submission_id, inspection_id in (parts[1], parts[3]):
        _ok(client.post("/api/v1/inspections", headers=coordinator, json={
            "submission_id": submission_id, "corrects_inspection_id": inspection_id, "passed": 0, "rejected": 1,
            "defect_codes": ["LOOSE"]}))
        cursor = pump(engine, settings, after_id=cursor)
    # 3 pieces = 3.75 → 4 fen (−1 against the +2 part), then 2 pieces = 2.5 → 3 fen (−1 against the +1 part).
    assert _ledger(engine)[4:] == [("reversal", -1, 125, -1), ("piece_pay", 0, 125, 0),
                                   ("reversal", -1, 125, -1), ("piece_pay", 0, 125, 0)]
    assert _ok(client.get(f"/api/v1/residents/{offer.resident_id}/earnings", headers=coordinator))["total_fen"] == 3
    assert reconcile(engine) == []
    assert invariants.run(engine).violations == []


def _ledger(engine: Engine) -> list[tuple[str, int, int, int]]:
    with reading(engine) as session:
        rows = session.exec(select(LedgerEntry).order_by(LedgerEntry.id)).all()  # type: ignore[arg-type]
    return [(r.kind, r.pieces, r.rate_centifen, r.amount_fen) for r in rows]
