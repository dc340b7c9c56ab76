"""Issue 16 over HTTP: adjustments with a reason, and corrections of frozen pay that wait for a second coordinator.

Hand-computed (half-month periods, cap 20% = 工资支付暂行规定 art. 16; each period's work reported as 30 minutes,
so the minimum-wage floor stays far below what is recovered):
- 2026-11-A: 30 pieces × ¥0.35 = ¥10.50 passed, closed, paid ¥10.50.
- 2026-11-B: coord1 asks to correct it to 0 passed / 30 rejected; nothing moves until coord1b approves. Then
  reversal −¥10.50 (line with the reason). A bonus of ¥5.00 with its reason. Close: gross ¥5.00 (the bonus), debt
  ¥10.50 → recover min(10.50, 20% × 5.00 = 1.00) = ¥1.00, carry ¥9.50 into 2026-12-A; payable ¥4.00.
- 2026-12-A: 100 × ¥0.30 = ¥30.00 and a recovery of ¥20.00 (its reason on the slip). Debt 9.50 + 20.00 = ¥29.50,
  cap 20% × 30.00 = ¥6.00 → recover ¥6.00, carry ¥23.50 into 2026-12-B; payable ¥24.00.
Ledger 1050 + (−1050 + 0 + 500 + 950) + (3000 − 950 − 2000 + 2350) = 3850 = what was paid; −2350 waits in 2026-12-B.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import func, select

from bench.dashboard_world import COORD1
from domain.invariants.money import check_ledger_days
from services.api.app import create_app
from services.demo.city import DEMO_PASSWORD
from store.db import reading, transaction
from store.tables import Inspection, LedgerEntry, Lot
from tests.integration.api.test_pay_slips_settlements_and_payouts_over_http import _login
from tests.integration.pay.test_a_period_that_ends_negative_is_carried_until_recovered import (
    CLOSE_11_A,
    CLOSE_11_B,
    CLOSE_12_A,
    IN_11_A,
    IN_11_B,
    IN_12_A,
    inspected,
)
from usecases import invariant_rows as rows
from usecases.auth import create_user
from usecases.context import Context
from usecases.queries.debts import debt_lines
from usecases.reconcile import reconcile


class Api:
    """The app on a clock the test sets (use cases read Context.live), signed in as coord1, coord1b and coord2."""

    def __init__(self, world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        self.world, self.now = world, IN_11_A
        monkeypatch.setattr(Context, "live", classmethod(
            lambda cls, settings, producer="api": cls(now=self.now, settings=settings, producer=producer)))
        with transaction(world.engine) as session:  # a second coordinator of comm-001
            create_user(session, username="coord1b", password=DEMO_PASSWORD, role="coordinator",
                        community_ids=["comm-001"])
        self.client = TestClient(create_app(world.settings))
        self.who = {u: _login(self.client, u) for u in ("coord1", "coord1b", "coord2")}

    def post(self, path: str, user: str, body: dict[str, Any], at: datetime) -> Any:
        self.now = at
        return self.client.post(path, headers=self.who[user], json=body)

    def get(self, path: str, user: str = "coord1", **params: Any) -> Any:
        reply = self.client.get(path, headers=self.who[user], params=params)
        assert reply.status_code == 200, reply.text
        return reply.json()

    def slip(self, resident: str, period_id: str) -> dict[str, Any]:
        return dict(self.get(f"/api/v1/residents/{resident}/pay-slips/{period_id}"))

    def ledger_fen(self) -> tuple[int, int]:
        with reading(self.world.engine) as session:
            return (int(session.exec(select(func.sum(LedgerEntry.amount_fen))).one() or 0),
                    int(session.exec(select(func.count()).select_from(Inspection)).one()))


@pytest.fixture
def api(pay_world: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    yield Api(pay_world, monkeypatch)


def _field(reply: Any) -> tuple[int, str, str]:
    problem = reply.json()["detail"][0]
    return reply.status_code, problem["field"], problem["reason"]


def test_a_correction_of_paid_pay_waits_for_a_second_coordinator_and_adjustments_show_with_their_reason(
        api: Api, residents: list[str]) -> None:
    resident, world = residents[0], api.world
    original = inspected(world, resident, IN_11_A, pieces=30, rate_fen=35)
    assert api.post("/api/v1/pay-periods/close", "coord1", {"community_id": "comm-001", "period_id": "2026-11-A"},
                    CLOSE_11_A).status_code == 201
    assert api.post("/api/v1/payouts", "coord1", {"resident_id": resident, "period_id": "2026-11-A",
                                                  "amount_fen": 1050, "method": "wechat", "reference": "wx-11a"},
                    CLOSE_11_A).status_code == 201
    with reading(world.engine) as session:
        submission_id = session.get(Inspection, original).submission_id
        lot_before = session.exec(select(Lot).where(Lot.id == session.get(Inspection, original).lot_id)).one()
    before = api.ledger_fen()

    alone = api.post("/api/v1/inspections", "coord1", {"submission_id": submission_id, "passed": 0, "rejected": 30,
                                                        "defect_codes": ["LOOSE"], "corrects_inspection_id": original},
                     IN_11_B)
    assert _field(alone)[:2] == (409, "corrects_inspection_id")
    no_reason = api.post("/api/v1/correction-requests", "coord1", {"corrects_inspection_id": original, "passed": 0,
                                                                     "rejected": 30, "defect_codes": ["LOOSE"]},
                         IN_11_B)
    status, field, reason = _field(no_reason)
    assert (status, field) == (422, "reason") and "原因" in reason
    asked = api.post("/api/v1/correction-requests", "coord1", {
        "corrects_inspection_id": original, "passed": 0, "rejected": 30, "defect_codes": ["LOOSE"],
        "reason": "复检发现 30 件松结"}, IN_11_B)
    assert asked.status_code == 201, asked.text
    request_id = asked.json()["request_id"]
    assert (asked.json()["status"], asked.json()["why_approval"]) == ("pending", "closed_period")

    world.earn(IN_11_B)  # nothing to pay: no inspection was recorded, the ledger has not moved
    assert api.ledger_fen() == before
    with reading(world.engine) as session:
        assert session.get(Lot, lot_before.id).pieces_passed == lot_before.pieces_passed == 30
    assert api.slip(resident, "2026-11-B")["corrections"] == []
    assert [(r["id"], r["status"], r["old_passed"], r["passed"]) for r in api.get(
        "/api/v1/correction-requests", status="pending")] == [(request_id, "pending", 30, 0)]

    decision = f"/api/v1/correction-requests/{request_id}/decision"
    own = api.post(decision, "coord1", {"decision": "approve"}, IN_11_B)
    assert _field(own)[:2] == (403, "request_id") and "另一位" in _field(own)[2]
    assert _field(api.post(decision, "coord2", {"decision": "approve"}, IN_11_B))[:2] == (404, "request_id")
    world.earn(IN_11_B)
    assert api.ledger_fen() == before  # refused approvals changed nothing either

    approved = api.post(decision, "coord1b", {"decision": "approve", "note": "已核对照片"}, IN_11_B)
    assert approved.status_code == 200 and approved.json()["status"] == "approved", approved.text
    assert _field(api.post(decision, "coord1b", {"decision": "reject"}, IN_11_B))[:2] == (409, "request_id")
    world.earn(IN_11_B)
    no_reason = api.post("/api/v1/adjustments", "coord1", {"resident_id": resident, "kind": "bonus",
                                                           "amount_fen": 500}, IN_11_B)
    assert _field(no_reason)[:2] == (422, "reason") and "原因" in _field(no_reason)[2]
    bonus = api.post("/api/v1/adjustments", "coord1", {"resident_id": resident, "kind": "bonus", "amount_fen": 500,
                                                       "reason": "协助清点物料"}, IN_11_B)
    assert (bonus.status_code, bonus.json()["amount_fen"], bonus.json()["period_id"]) == (201, 500, "2026-11-B")

    with reading(world.engine) as session:  # the debt shows before any close: it arose in this open period
        assert [(d.period_id, d.from_period_id, d.since_period_id, d.debt_fen, d.recovered_fen)
                for d in debt_lines(session, COORD1)] == [("2026-11-B", None, "2026-11-B", 1050, 0)]
    nov_b = api.slip(resident, "2026-11-B")
    assert [(x["kind"], x["amount_fen"], x["note"]) for x in nov_b["corrections"]] == [
        ("adjustment", 500, "奖励：协助清点物料"), ("reversal", -1050, "更正：复检发现 30 件松结")]
    closed = api.post("/api/v1/pay-periods/close", "coord1", {"community_id": "comm-001", "period_id": "2026-11-B"},
                      CLOSE_11_B).json()
    assert (closed["total_fen"], closed["debts"]) == (400, [{
        "resident_id": resident, "debt_fen": 1050, "recovered_fen": 100, "carried_on_fen": 950,
        "into_period_id": "2026-12-A"}])
    assert api.post("/api/v1/payouts", "coord1", {"resident_id": resident, "period_id": "2026-11-B",
                                                  "amount_fen": 400, "method": "wechat", "reference": "wx-11b"},
                    CLOSE_11_B).status_code == 201

    inspected(world, resident, IN_12_A, pieces=100, rate_fen=30)
    recovery = api.post("/api/v1/adjustments", "coord1", {"resident_id": resident, "kind": "recovery",
                                                          "amount_fen": 2000, "reason": "损坏工具赔偿"}, IN_12_A)
    assert (recovery.status_code, recovery.json()["amount_fen"]) == (201, -2000)
    with reading(world.engine) as session:  # the coordinator's page: owed now, carried in and recovered by hand
        assert [(d.period_id, d.from_period_id, d.since_period_id, d.debt_fen, d.recovered_fen)
                for d in debt_lines(session, COORD1)] == [("2026-12-A", "2026-11-B", "2026-11-B", 2950, 100)]
    preview = api.slip(resident, "2026-12-A")
    assert (preview["debt_fen"], preview["recovered_fen"], preview["carried_on_fen"], preview["payable_fen"]) == (
        2950, 600, 2350, 2400)
    api.post("/api/v1/pay-periods/close", "coord1", {"community_id": "comm-001", "period_id": "2026-12-A"},
             CLOSE_12_A)
    dec_a = api.slip(resident, "2026-12-A")
    assert [(x["kind"], x["amount_fen"], x["note"]) for x in dec_a["corrections"]] == [
        ("adjustment", -2000, "扣回：损坏工具赔偿")]
    assert [(x["kind"], x["amount_fen"]) for x in dec_a["carries"]] == [("carried_in", -950), ("carry_forward", 2350)]
    assert (dec_a["total_fen"], dec_a["recovered_fen"], dec_a["payable_fen"]) == (2400, 600, 2400)
    assert api.post("/api/v1/payouts", "coord1", {"resident_id": resident, "period_id": "2026-12-A",
                                                  "amount_fen": 2400, "method": "wechat", "reference": "wx-12a"},
                    CLOSE_12_A).status_code == 201
    assert [(d["resident_id"], d["period_id"], d["from_period_id"], d["debt_fen"])
            for d in api.get("/api/v1/pay-periods/debts")] == [(resident, "2026-12-B", "2026-12-A", 2350)]
    with reading(world.engine) as session:  # the coordinator's page: since 2026-11-B, ¥1.00 + ¥6.00 recovered so far
        assert [(d.since_period_id, d.debt_fen, d.recovered_fen) for d in debt_lines(session, COORD1)] == [
            ("2026-11-B", 2350, 700)]
    assert [(a["kind"], a["amount_fen"]) for a in api.get("/api/v1/adjustments", resident_id=resident)] == [
        ("recovery", -2000), ("bonus", 500)]
    assert api.ledger_fen()[0] == 1050 + 400 + 2400 - 2350  # paid, less the ¥23.50 still owed (in 2026-12-B)
    assert reconcile(world.engine) == []
    with rows.snapshot(world.engine) as session:  # adjustments, reversals and carries reached the read model
        assert check_ledger_days(rows.entries(session), rows.ledger_days(session)) == []


def test_correcting_an_automatic_acceptance_needs_a_second_coordinator(api: Api, residents: list[str]) -> None:
    """Auto-accepted after the delay, in a period still open: a person never looked, so two must approve."""
    from schemas import commands as c
    from usecases import work

    resident, world = residents[1], api.world
    lot = world.lot(resident, pieces=20, rate_fen=35)
    world.run(work.issue_materials, c.IssueMaterials(lot_id=lot, resident_id=resident, pieces=20), at=IN_11_B)
    world.run(work.submit_output, resident, c.SubmitOutput(lot_id=lot, pieces=20), at=IN_11_B)
    later = IN_11_B.replace(day=IN_11_B.day + 4)
    with transaction(world.engine) as session:
        auto = work.auto_accept_due(session, ctx=world.ctx(later))
    automatic = auto[0].inspection_id
    body = {"corrects_inspection_id": automatic, "passed": 15, "rejected": 5, "defect_codes": ["LOOSE"],
            "reason": "抽检发现 5 件不合格"}
    with reading(world.engine) as session:
        submission_id = session.get(Inspection, automatic).submission_id
    alone = api.post("/api/v1/inspections", "coord1", {**{k: v for k, v in body.items() if k != "reason"},
                                                        "submission_id": submission_id}, later)
    assert _field(alone)[:2] == (409, "corrects_inspection_id")
    asked = api.post("/api/v1/correction-requests", "coord1", body, later)
    assert (asked.status_code, asked.json()["why_approval"]) == (201, "automatic")
    rejected = api.post(f"/api/v1/correction-requests/{asked.json()['request_id']}/decision", "coord1b",
                        {"decision": "reject", "note": "照片显示合格"}, later)
    assert (rejected.status_code, rejected.json()["status"], rejected.json()["correction_inspection_id"]) == (
        200, "rejected", None)
    with reading(world.engine) as session:
        assert not session.get(Inspection, automatic).superseded


def test_reconcile_names_an_adjustment_entry_nobody_recorded(api: Api, residents: list[str]) -> None:
    """Money in the ledger as an 'adjustment' with no adjustment record (no reason, no coordinator) is a difference."""
    posted = api.post("/api/v1/adjustments", "coord1", {"resident_id": residents[0], "kind": "bonus",
                                                        "amount_fen": 300, "reason": "节日慰问"}, IN_11_A)
    assert posted.status_code == 201
    assert reconcile(api.world.engine) == []
    with transaction(api.world.engine) as session:
        session.add(LedgerEntry(entry_key="hand-typed:adjustment", kind="adjustment", resident_id=residents[0],
                                community_id="comm-001", pieces=0, rate_centifen=0, amount_fen=700,
                                period_id="2026-11-A", posted_at=datetime(2026, 11, 10, tzinfo=UTC)))
    assert [(d["scope"], d["id"], d["expected_fen"], d["ledger_fen"]) for d in reconcile(api.world.engine)] == [
        ("adjustment", "hand-typed:adjustment", 0, 700)]
