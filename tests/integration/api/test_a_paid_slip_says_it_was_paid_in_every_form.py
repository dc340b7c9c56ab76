"""After a payout a resident's slip says it was paid, how, when and under which reference, in every form she or her
coordinator prints it: the API's PDF and HTML pages and its JSON (the Excel 概要 sheet already said 已发放). A trial
found the PDF showed no payment at all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from domain.pay import period_for
from schemas import commands as c
from services.api.app import create_app
from services.demo.city import DEMO_PASSWORD
from tests.pdf_text import pdf_lines
from usecases import work

REFERENCE = "YH20261201-0001"


def _login(client: TestClient, username: str) -> dict[str, str]:
    reply = client.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD})
    assert reply.status_code == 200, reply.text
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}


def test_the_pdf_html_and_json_slips_say_paid_with_date_method_and_reference(pay_world: Any,
                                                                              residents: list[str]) -> None:
    owner = residents[0]
    pay_world.now = datetime.now(UTC) - timedelta(days=40)  # a half-month that ended weeks ago
    lot = pay_world.lot(owner, pieces=60, rate_fen=37)
    pay_world.run(work.issue_materials, c.IssueMaterials(lot_id=lot, resident_id=owner, pieces=60))
    sub, _ = pay_world.run(work.submit_output, owner, c.SubmitOutput(lot_id=lot, pieces=60, minutes_spent=400))
    pay_world.run(work.record_inspection, c.RecordInspection(submission_id=sub.id, passed=57, rejected=3,
                                                             defect_codes=["LOOSE"]))
    pay_world.earn()
    period = period_for(pay_world.now).period_id
    client = TestClient(create_app(pay_world.settings))
    coordinator, me = _login(client, "coord1"), _login(client, owner)
    slip_url = f"/api/v1/residents/{owner}/pay-slips/{period}"
    assert client.post("/api/v1/pay-periods/close", headers=coordinator,
                       json={"community_id": "comm-001", "period_id": period}).status_code == 201
    unpaid = [line for line in pdf_lines(client.get(f"{slip_url}.pdf", headers=me).content) if "发放" in line]
    assert unpaid == []  # closed, not paid: the PDF says nothing of a payment
    assert "未发放" in client.get(slip_url, params={"format": "html"}, headers=me).text

    reply = client.post("/api/v1/payouts", headers=coordinator, json={
        "resident_id": owner, "period_id": period, "amount_fen": 2109, "method": "bank", "reference": REFERENCE})
    assert reply.status_code == 201, reply.text
    day = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date().isoformat()
    paid = f"已发放 ¥21.09（{day}，银行转账，{REFERENCE}）"
    for who in (me, coordinator):
        assert paid in pdf_lines(client.get(f"{slip_url}.pdf", headers=who).content)
        assert paid in client.get(slip_url, params={"format": "html"}, headers=who).text
    view = client.get(slip_url, headers=me).json()  # the query the Excel 概要 reads
    assert view["paid_fen"] == 2109 and [(p["reference"], p["method"]) for p in view["payouts"]] == [
        (REFERENCE, "bank")]
