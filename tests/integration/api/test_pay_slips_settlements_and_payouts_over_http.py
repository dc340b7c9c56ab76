"""Pay over HTTP: close a period, slips in four formats to their owner only, settlements, idempotent payouts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from domain.pay import period_for
from domain.pay.periods import period_name
from schemas import commands as c
from services.api.app import create_app
from services.demo.city import DEMO_PASSWORD
from usecases import work


def _login(client: TestClient, username: str) -> dict[str, str]:
    reply = client.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD})
    assert reply.status_code == 200, reply.text
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}


def _paid_work(world: Any, resident: str) -> str:
    """57 of 60 pieces passed at 37 fen, in a half-month that ended weeks ago; returns its period id."""
    world.now = datetime.now(UTC) - timedelta(days=40)
    lot = world.lot(resident, pieces=60, rate_fen=37)
    world.run(work.issue_materials, c.IssueMaterials(lot_id=lot, resident_id=resident, pieces=60))
    sub, _ = world.run(work.submit_output, resident, c.SubmitOutput(lot_id=lot, pieces=60, minutes_spent=400))
    world.run(work.record_inspection, c.RecordInspection(submission_id=sub.id, passed=57, rejected=3,
                                                         defect_codes=["LOOSE"]))
    world.earn()
    return period_for(world.now).period_id


def test_slips_settlements_and_payouts_respect_scope_and_idempotency(pay_world: Any, residents: list[str]) -> None:
    owner, neighbour = residents[0], residents[1]
    period = _paid_work(pay_world, owner)
    client = TestClient(create_app(pay_world.settings))
    coordinator, other_coordinator = _login(client, "coord1"), _login(client, "coord2")
    slip_url = f"/api/v1/residents/{owner}/pay-slips/{period}"

    overdue = client.get("/api/v1/pay-periods/overdue", headers=coordinator).json()
    assert [(o["period_id"], o["closed"], o["unpaid_fen"]) for o in overdue] == [(period, False, 2109)]
    reply = client.post("/api/v1/pay-periods/close", headers=coordinator,
                        json={"community_id": "comm-001", "period_id": period})
    assert reply.status_code == 201, reply.text
    assert reply.json()["total_fen"] == 57 * 37 == 2109
    assert client.post("/api/v1/pay-periods/close", headers=other_coordinator,
                       json={"community_id": "comm-001", "period_id": period}).status_code == 403

    me = _login(client, owner)
    slip = client.get(slip_url, headers=me).json()
    assert slip["final"] and slip["total_fen"] == 2109 and slip["paid_fen"] == 0
    assert [(x["kind_zh"], x["pieces"], x["rate_centifen"], x["rate_text"]) for x in slip["lines"]] == [
        ("计件工资", 57, 3700, "¥0.37/件")]
    csv = client.get(slip_url, params={"format": "csv"}, headers=me)
    assert csv.headers["content-type"].startswith("text/csv") and "合计" in csv.text and "21.09" in csv.text
    html = client.get(slip_url, params={"format": "html"}, headers=me)
    assert html.headers["content-type"].startswith("text/html") and "工资条" in html.text
    assert f"结算周期：{period_name(period)} · " in html.text and period not in html.text  # the printed page's words
    pdf = client.get(f"{slip_url}.pdf", headers=me)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    for stranger in (_login(client, neighbour), other_coordinator):
        refused = client.get(slip_url, headers=stranger)
        assert refused.status_code == 404 and refused.json()["detail"][0]["field"] == "resident_id"

    bill = client.get(f"/api/v1/enterprises/ent-01/settlements/{period}", headers=_login(client, "ent1")).json()
    assert (bill["residents_pay_fen"], bill["service_fee_fen"], bill["total_fen"]) == (2109, 105, 2214)
    assert client.get(f"/api/v1/enterprises/ent-01/settlements/{period}",
                      headers=_login(client, "ent2")).status_code == 404

    payout = {"resident_id": owner, "period_id": period, "amount_fen": 2109, "method": "wechat", "reference": "wx-1"}
    too_much = client.post("/api/v1/payouts", headers=coordinator, json=payout | {"amount_fen": 2110})
    assert too_much.status_code == 422 and too_much.json()["detail"][0]["field"] == "amount_fen"
    first = client.post("/api/v1/payouts", headers=coordinator, json=payout)
    again = client.post("/api/v1/payouts", headers=coordinator, json=payout)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["payout_id"] == first.json()["payout_id"] and not again.json()["created"]
    clash = client.post("/api/v1/payouts", headers=coordinator, json=payout | {"amount_fen": 2000})
    assert clash.status_code == 409 and clash.json()["detail"][0]["field"] == "amount_fen"
    assert client.get(slip_url, headers=me).json()["paid_fen"] == 2109
    assert client.get("/api/v1/pay-periods/overdue", headers=coordinator).json() == []
