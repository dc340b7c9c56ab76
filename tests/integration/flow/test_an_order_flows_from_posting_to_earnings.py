"""The walking skeleton, end to end through the API and the processors (no broker): post → earn."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import select

from services.api.app import create_app
from services.demo.city import DEMO_PASSWORD, build_city
from services.demo.seed import load_city
from store.db import reading
from store.tables import AuditRecord, LedgerEntry, Lot, Offer
from usecases.inline import pump
from usecases.reconcile import reconcile
from usecases.settings import Settings


def _login(client: TestClient, username: str) -> dict[str, str]:
    reply = client.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD})
    assert reply.status_code == 200, reply.text
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}


def test_an_order_is_split_offered_accepted_made_inspected_and_paid(settings: Settings, engine: Engine) -> None:
    load_city(engine, settings, build_city(communities=1, residents_per_community=8))
    client = TestClient(create_app(settings))
    enterprise, coordinator = _login(client, "ent1"), _login(client, "coord1")

    due = (datetime.now(UTC) + timedelta(days=10)).isoformat()
    reply = client.post("/api/v1/orders", headers=enterprise, json={
        "enterprise_id": "ent-01", "product_code": "BEAD-01", "quantity": 120, "piece_rate_fen": 37,
        "due_at": due, "eligible_community_ids": ["comm-001"], "pickup_site_id": "comm-001-site-1"})
    assert reply.status_code == 201, reply.text
    order_id = reply.json()["order_id"]
    cursor = pump(engine, settings)

    with reading(engine) as session:
        lots = session.exec(select(Lot).where(Lot.order_id == order_id)).all()
        assert sorted(lot.pieces for lot in lots) == [60, 60]  # BEAD-01 lots are 60 pieces
        pending = session.exec(select(Offer).where(Offer.status == "pending")).all()
    assert {o.lot_id for o in pending} <= {lot.id for lot in lots}
    assert pending, "the matcher made no offer"
    offer = pending[0]
    assert offer.explanation_zh and offer.explanation_en

    reply = client.post(f"/api/v1/offers/{offer.id}/answer", headers=coordinator, json={"decision": "accept"})
    assert reply.status_code == 200, reply.text
    assert client.post("/api/v1/materials/issue", headers=coordinator, json={
        "lot_id": offer.lot_id, "resident_id": offer.resident_id, "pieces": 60}).status_code == 201
    sub = client.post(f"/api/v1/residents/{offer.resident_id}/submissions", headers=coordinator,
                      json={"lot_id": offer.lot_id, "pieces": 60, "minutes_spent": 400})
    assert sub.status_code == 201, sub.text
    ins = client.post("/api/v1/inspections", headers=coordinator, json={
        "submission_id": sub.json()["submission_id"], "passed": 57, "rejected": 3, "defect_codes": ["LOOSE"]})
    assert ins.status_code == 201, ins.text
    pump(engine, settings, after_id=cursor)

    with reading(engine) as session:
        entries = session.exec(select(LedgerEntry).where(LedgerEntry.resident_id == offer.resident_id)).all()
        on_behalf = session.exec(select(AuditRecord).where(AuditRecord.action == "offer.accept")).one()
    assert [(e.kind, e.pieces, e.amount_fen) for e in entries] == [("piece_pay", 57, 57 * 37)]
    assert on_behalf.on_behalf_of == offer.resident_id and on_behalf.actor == "coord1"
    earnings = client.get(f"/api/v1/residents/{offer.resident_id}/earnings", headers=coordinator).json()
    assert earnings["total_fen"] == 2109
    overview = client.get("/api/v1/overview").json()
    assert overview["pieces_passed_total"] == 57 and overview["earnings_total_fen"] == 2109
    assert reconcile(engine) == []


def test_the_same_events_applied_twice_pay_once(settings: Settings, engine: Engine) -> None:
    load_city(engine, settings, build_city(communities=1, residents_per_community=4))
    client = TestClient(create_app(settings))
    enterprise = _login(client, "ent1")
    client.post("/api/v1/orders", headers=enterprise, json={
        "enterprise_id": "ent-01", "product_code": "PACK-03", "quantity": 400, "piece_rate_fen": 9,
        "due_at": (datetime.now(UTC) + timedelta(days=10)).isoformat(), "eligible_community_ids": ["comm-001"],
        "pickup_site_id": "comm-001-site-1"})
    pump(engine, settings)
    with reading(engine) as session:
        lots_once = len(session.exec(select(Lot)).all())
        offers_once = len(session.exec(select(Offer)).all())
    pump(engine, settings)  # every event delivered again from the start: a broker replay
    with reading(engine) as session:
        assert len(session.exec(select(Lot)).all()) == lots_once == 2
        assert len(session.exec(select(Offer)).all()) == offers_once
