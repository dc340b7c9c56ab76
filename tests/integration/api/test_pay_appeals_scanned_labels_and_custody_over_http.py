"""Appeals over HTTP (upheld → correction, late → refused), issuing by scanned QR label, material custody."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import select

from domain.orders.labels import lot_check_code, lot_qr_payload
from schemas import commands as c
from services.api.app import create_app
from services.demo.city import DEMO_PASSWORD
from store.db import reading
from store.tables import LedgerEntry
from usecases import work
from usecases.reconcile import reconcile


def _login(client: TestClient, username: str) -> dict[str, str]:
    reply = client.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD})
    assert reply.status_code == 200, reply.text
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}


def _rejected(world: Any, resident: str, *, days_ago: float) -> str:
    """An inspection of 20 pieces, 12 passed and 8 rejected (not for rework); returns its id."""
    world.now = datetime.now(UTC) - timedelta(days=days_ago)
    lot = world.lot(resident, pieces=20, rate_fen=50)
    world.run(work.issue_materials, c.IssueMaterials(lot_id=lot, resident_id=resident, pieces=20))
    sub, _ = world.run(work.submit_output, resident, c.SubmitOutput(lot_id=lot, pieces=20))
    ins, _ = world.run(work.record_inspection, c.RecordInspection(submission_id=sub.id, passed=12, rejected=8,
                                                                  defect_codes=["BROKEN"]))
    world.earn()
    return str(ins.id)


def test_an_upheld_appeal_reverses_and_repays_and_a_late_one_is_refused(pay_world: Any,
                                                                        residents: list[str]) -> None:
    fresh, stale = _rejected(pay_world, residents[0], days_ago=0.1), _rejected(pay_world, residents[0], days_ago=8)
    client = TestClient(create_app(pay_world.settings))
    me, coordinator = _login(client, residents[0]), _login(client, "coord1")

    seen = client.get(f"/api/v1/residents/{residents[0]}/inspections", headers=me).json()
    assert {i["id"]: i["defect_codes"] for i in seen}[fresh] == ["BROKEN"]
    late = client.post(f"/api/v1/inspections/{stale}/appeals", headers=me, json={"reason": "都是好的"})
    assert late.status_code == 422 and late.json()["detail"][0]["field"] == "inspection_id"
    assert "申诉期（7 天）" in late.json()["detail"][0]["reason"]  # no Accept-Language: in Chinese
    other = client.post(f"/api/v1/inspections/{fresh}/appeals", headers=_login(client, residents[1]),
                        json={"reason": "不是我的"})
    assert other.status_code == 404

    filed = client.post(f"/api/v1/inspections/{fresh}/appeals", headers=me, json={"reason": "颜色没有问题"})
    assert filed.status_code == 201, filed.text
    appeal_id = filed.json()["appeal_id"]
    assert client.post(f"/api/v1/inspections/{fresh}/appeals", headers=me,
                       json={"reason": "again"}).status_code == 409
    assert [a["status"] for a in client.get("/api/v1/appeals", headers=me).json()] == ["open"]
    upheld = client.post(f"/api/v1/appeals/{appeal_id}/decision", headers=coordinator,
                         json={"decision": "uphold", "reason": "复检合格"})
    assert upheld.status_code == 200, upheld.text
    assert client.post(f"/api/v1/appeals/{appeal_id}/decision", headers=coordinator,
                       json={"decision": "reject", "reason": "too late"}).status_code == 409
    pay_world.earn()

    with reading(pay_world.engine) as session:
        entries = session.exec(select(LedgerEntry).where(
            LedgerEntry.inspection_id == upheld.json()["correction_inspection_id"])).all()
    assert sorted((e.kind, e.amount_fen) for e in entries) == [("piece_pay", 20 * 50), ("reversal", -12 * 50)]
    assert reconcile(pay_world.engine) == []


def test_a_rejected_appeal_is_closed_with_its_reason_and_pays_nothing(pay_world: Any, residents: list[str]) -> None:
    inspection = _rejected(pay_world, residents[0], days_ago=1)
    client = TestClient(create_app(pay_world.settings))
    coordinator = _login(client, "coord1")
    filed = client.post(f"/api/v1/inspections/{inspection}/appeals", headers=coordinator,
                        json={"reason": "居民电话申诉"})  # on behalf of a resident without a phone
    decided = client.post(f"/api/v1/appeals/{filed.json()['appeal_id']}/decision", headers=coordinator,
                          json={"decision": "reject", "reason": "断线明显"})
    assert decided.json()["status"] == "rejected" and decided.json()["correction_inspection_id"] is None
    [appeal] = client.get("/api/v1/appeals", headers=coordinator).json()
    assert appeal["on_behalf"] and appeal["decision_reason"] == "断线明显"
    with reading(pay_world.engine) as session:
        assert len(session.exec(select(LedgerEntry)).all()) == 1


def test_materials_are_issued_by_scanning_the_label_and_custody_shows_what_is_out(pay_world: Any,
                                                                                  residents: list[str]) -> None:
    lot = pay_world.lot(residents[0], pieces=30)
    client = TestClient(create_app(pay_world.settings))
    coordinator = _login(client, "coord1")
    label = lot_qr_payload(lot, lot_check_code(lot, pay_world.settings.secret_key))
    forged = lot_qr_payload(lot, lot_check_code(lot, "someone-else's-secret"))
    refused = client.post("/api/v1/materials/issue", headers=coordinator,
                          json={"qr": forged, "resident_id": residents[0], "pieces": 5})
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "qr"
    issued = client.post("/api/v1/materials/issue", headers=coordinator,
                         json={"qr": label, "resident_id": residents[0], "pieces": 25})
    assert issued.status_code == 201, issued.text
    client.post(f"/api/v1/residents/{residents[0]}/submissions", headers=coordinator,
                json={"lot_id": lot, "pieces": 10})
    client.post("/api/v1/materials/return", headers=coordinator,
                json={"lot_id": lot, "resident_id": residents[0], "unused_pieces": 5, "scrap_pieces": 2})

    [held] = client.get("/api/v1/custody", headers=_login(client, residents[0])).json()
    assert (held["issued"], held["unused_returned"], held["scrap_returned"], held["pending_inspection"],
            held["balance"]) == (25, 5, 2, 10, 8)
    assert client.get("/api/v1/custody", headers=_login(client, residents[1])).json() == []
    assert client.get("/api/v1/custody", headers=_login(client, "coord2")).json() == []
