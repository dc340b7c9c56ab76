"""Issue 16 through the API and the processors (SQLite and PostgreSQL): ¥0.035 a bead is posted, kept exactly,
paid rounded once per lot, shown as quoted, reconciled, and judged against the minimum wage at the exact rate."""

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
from store.tables import LedgerEntry, Offer, Order
from usecases.inline import pump
from usecases.reconcile import reconcile
from usecases.settings import Settings

# A bead a resident strings in 0.1 minute, priced ¥35 per 1,000 (¥0.035 a bead, 350 in 0.0001 yuan).
BEADS = {"product_code": "BEAD-09", "name": "小珠串", "skill": "beading", "standard_minutes_per_piece": 0.1,
         "defect_codes": ["LOOSE 松脱"], "lot_size": 1000, "min_lot_size": 20}


def _login(client: TestClient, username: str) -> dict[str, str]:
    reply = client.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD})
    assert reply.status_code == 200, reply.text
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}


def _ok(reply: Any) -> Any:
    assert reply.is_success, reply.text
    return reply.json()


def test_beads_at_0_035_yuan_are_paid_to_the_fen_once_per_lot(settings: Settings, engine: Engine) -> None:
    load_city(engine, settings, build_city(communities=1, residents_per_community=4))
    client = TestClient(create_app(settings))
    city, enterprise, coordinator = _login(client, "city"), _login(client, "ent1"), _login(client, "coord1")
    _ok(client.post("/api/v1/products", headers=city, json=BEADS))
    order = _ok(client.post("/api/v1/orders", headers=enterprise, json={
        "enterprise_id": "ent-01", "product_code": "BEAD-09", "quantity": 1000, "piece_rate_per_1000_yuan": "35",
        "due_at": (datetime.now(UTC) + timedelta(days=10)).isoformat(), "eligible_community_ids": ["comm-001"],
        "pickup_site_id": "comm-001-site-1"}))
    # The minimum-wage audit uses the exact rate: 600 beads an hour × ¥0.035 = ¥21.00 an hour, below ¥22-25.
    assert order["below_minimum_wage"] is True
    cursor = pump(engine, settings)
    with reading(engine) as session:
        stored = session.get(Order, order["order_id"])
        assert stored is not None and (stored.piece_rate_centifen, stored.rate_per) == (350, 1000)
        offer = session.exec(select(Offer).where(Offer.status == "pending")).first()
    assert offer is not None and offer.piece_rate_centifen == 350
    _ok(client.post(f"/api/v1/offers/{offer.id}/answer", headers=coordinator, json={"decision": "accept"}))
    _ok(client.post("/api/v1/materials/issue", headers=coordinator,
                    json={"lot_id": offer.lot_id, "resident_id": offer.resident_id, "pieces": 1000}))

    def inspect(pieces: int) -> None:
        sub = _ok(client.post(f"/api/v1/residents/{offer.resident_id}/submissions", headers=coordinator,
                              json={"lot_id": offer.lot_id, "pieces": pieces, "minutes_spent": 60}))
        _ok(client.post("/api/v1/inspections", headers=coordinator,
                        json={"submission_id": sub["submission_id"], "passed": pieces, "rejected": 0}))

    inspect(333)
    cursor = pump(engine, settings, after_id=cursor)
    # 333 × ¥0.035 = ¥11.655 → half-up → ¥11.66 = 1,166 fen
    assert _ledger(engine, offer.resident_id) == [("piece_pay", 333, 350, 1_166)]
    inspect(667)
    pump(engine, settings, after_id=cursor)
    # The lot is now 1,000 beads = ¥35.00 exactly, so the second part posts 3,500 − 1,166 = 2,334 fen
    # (667 × ¥0.035 = ¥23.345 rounded alone would be 2,335: the lot would have paid a fen too much).
    assert _ledger(engine, offer.resident_id) == [("piece_pay", 333, 350, 1_166), ("piece_pay", 667, 350, 2_334)]

    period = _ok(client.get(f"/api/v1/residents/{offer.resident_id}/earnings", headers=coordinator))
    assert period["total_fen"] == 3_500
    period_id = period["entries"][0]["period_id"]
    slip = _ok(client.get(f"/api/v1/residents/{offer.resident_id}/pay-slips/{period_id}", headers=coordinator))
    assert [(x["pieces"], x["amount_fen"], x["rate_centifen"], x["rate_text"]) for x in slip["lines"]] == [
        (1000, 3_500, 350, "¥35.00/千件")]  # one line for the lot, the rate as the enterprise quoted it
    assert slip["total_fen"] == 3_500
    assert reconcile(engine) == []


def _ledger(engine: Engine, resident_id: str) -> list[tuple[str, int, int, int]]:
    with reading(engine) as session:
        rows = session.exec(select(LedgerEntry).where(LedgerEntry.resident_id == resident_id)
                            .order_by(LedgerEntry.id)).all()  # type: ignore[arg-type]
    return [(r.kind, r.pieces, r.rate_centifen, r.amount_fen) for r in rows]


def test_a_rate_finer_than_0_0001_yuan_zero_or_negative_is_refused_naming_the_field(
    settings: Settings, engine: Engine
) -> None:
    load_city(engine, settings, build_city(communities=1, residents_per_community=1))
    client = TestClient(create_app(settings))
    enterprise = _login(client, "ent1")
    order = {"enterprise_id": "ent-01", "product_code": "BEAD-01", "quantity": 60,
             "due_at": (datetime.now(UTC) + timedelta(days=10)).isoformat(), "eligible_community_ids": ["comm-001"]}
    for field, value, words in (("piece_rate_yuan", "0.00351", "0.0001 元"),  # 5 decimals of a yuan
                                ("piece_rate_per_1000_yuan", "35.01", "0.0001 元"),  # ¥0.03501 a piece
                                ("piece_rate_yuan", "0", "必须大于 0"), ("piece_rate_yuan", "-0.035", "必须大于 0"),
                                ("piece_rate_fen", 0, "必须大于 0")):
        reply = client.post("/api/v1/orders", headers=enterprise, json={**order, field: value})
        assert reply.status_code == 422, reply.text
        [problem] = reply.json()["detail"]
        assert problem["field"] == field and words in problem["reason"], problem
    with reading(engine) as session:
        assert session.exec(select(Order)).all() == []
