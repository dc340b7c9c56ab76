"""Issue 16 over HTTP: the close-period response names the debt carried, the slip JSON shows the carried-in debt,
the recovery and what remains, and the coordinator's debt list shows what the next close will recover from.

Hand-computed (cap 20%): ¥10.50 paid for 30 × ¥0.35, then corrected to all rejected → debt ¥10.50, carried;
next period ¥30.00 gross → recover ¥6.00, carry ¥4.50, payable ¥24.00; the one after ¥40.00 → recover ¥4.50.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from domain.invariants.money import check_ledger_days
from domain.pay import next_period, period_for
from services.api.app import create_app
from tests.integration.api.test_pay_slips_settlements_and_payouts_over_http import _login
from tests.integration.pay.test_a_period_that_ends_negative_is_carried_until_recovered import (
    corrected_to_all_rejected,
    inspected,
)
from usecases import invariant_rows as rows


def test_the_close_and_the_slip_show_the_debt_carried_and_recovered(pay_world: Any, residents: list[str]) -> None:
    resident = residents[0]
    first = period_for(datetime.now(UTC) - timedelta(days=120))
    periods = [first]
    for _ in range(3):
        periods.append(next_period(periods[-1]))
    p1, p2, p3, p4 = (p.period_id for p in periods)
    client = TestClient(create_app(pay_world.settings))
    coordinator = _login(client, "coord1")

    def close(period_id: str) -> dict[str, Any]:
        reply = client.post("/api/v1/pay-periods/close", headers=coordinator,
                            json={"community_id": "comm-001", "period_id": period_id})
        assert reply.status_code == 201, reply.text
        return dict(reply.json())

    def slip(period_id: str) -> dict[str, Any]:
        return dict(client.get(f"/api/v1/residents/{resident}/pay-slips/{period_id}", headers=_login(
            client, resident)).json())

    original = inspected(pay_world, resident, periods[0].starts_at + timedelta(days=1), pieces=30, rate_fen=35)
    close(p1)
    assert client.post("/api/v1/payouts", headers=coordinator, json={
        "resident_id": resident, "period_id": p1, "amount_fen": 1050, "method": "wechat",
        "reference": "wx-1"}).status_code == 201
    corrected_to_all_rejected(pay_world, original, periods[1].starts_at + timedelta(days=1))
    negative = close(p2)
    assert negative["total_fen"] == 0
    assert negative["debts"] == [{"resident_id": resident, "debt_fen": 1050, "recovered_fen": 0,
                                  "carried_on_fen": 1050, "into_period_id": p3}]
    assert [(d["resident_id"], d["period_id"], d["from_period_id"], d["debt_fen"], d["recovery_cap_bps"])
            for d in client.get("/api/v1/pay-periods/debts", headers=coordinator).json()] == [
        (resident, p3, p2, 1050, 2000)]
    assert client.get("/api/v1/pay-periods/debts", headers=_login(client, "coord2")).json() == []

    inspected(pay_world, resident, periods[2].starts_at + timedelta(days=1), pieces=100, rate_fen=30)
    preview = slip(p3)
    assert (preview["final"], preview["debt_fen"], preview["recovered_fen"], preview["carried_on_fen"],
            preview["payable_fen"]) == (False, 1050, 600, 450, 2400)
    closed = close(p3)
    assert (closed["total_fen"], closed["debts"][0]["recovered_fen"], closed["debts"][0]["carried_on_fen"]) == (
        2400, 600, 450)
    final = slip(p3)
    assert [(x["kind"], x["kind_zh"], x["amount_fen"]) for x in final["carries"]] == [
        ("carried_in", "上期结转欠款", -1050), ("carry_forward", "欠款结转下期", 450)]
    assert (final["total_fen"], final["recovered_fen"], final["carried_on_fen"], final["payable_fen"]) == (
        2400, 600, 450, 2400)
    too_much = client.post("/api/v1/payouts", headers=coordinator, json={
        "resident_id": resident, "period_id": p3, "amount_fen": 3000, "method": "wechat", "reference": "wx-3"})
    assert too_much.status_code == 422 and too_much.json()["detail"][0]["field"] == "amount_fen"

    inspected(pay_world, resident, periods[3].starts_at + timedelta(days=1), pieces=100, rate_fen=40)
    last = close(p4)
    assert (last["total_fen"], last["debts"]) == (3550, [{"resident_id": resident, "debt_fen": 450,
                                                          "recovered_fen": 450, "carried_on_fen": 0,
                                                          "into_period_id": None}])
    assert client.get("/api/v1/pay-periods/debts", headers=coordinator).json() == []
    with rows.snapshot(pay_world.engine) as session:  # the carried debts reached the overview's read model (issue 19)
        assert check_ledger_days(rows.entries(session), rows.ledger_days(session)) == []
