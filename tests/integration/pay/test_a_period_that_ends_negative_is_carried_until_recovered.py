"""A period that ends negative is never lost (issue 16): the debt is carried, recovered at most 20% a period.

Hand-computed (cap 20%, 工资支付暂行规定 art. 16):
- 2026-11-A: 30 pieces × ¥0.35 = ¥10.50 passed, closed and paid ¥10.50.
- 2026-11-B: the inspection is corrected to 0 passed / 30 rejected → reversal −¥10.50, no other pay.
  Debt ¥10.50, gross ¥0.00 → recover ¥0.00, carry ¥10.50 (+1050 here, −1050 in 2026-12-A); payable ¥0.00.
- 2026-12-A: 100 × ¥0.30 = ¥30.00 gross → cap ¥6.00 → recover ¥6.00, carry ¥4.50; payable ¥24.00.
- 2026-12-B: 100 × ¥0.40 = ¥40.00 gross → cap ¥8.00 → recover ¥4.50, nothing left; payable ¥35.50.
Every sum: paid 1050 + 0 + 2400 + 3550 = 7000 = ledger 1050 − 1050 + 0 + 3000 + 4000 = 7000.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import select

from schemas import commands as c
from store.db import reading, transaction
from store.tables import Community, Inspection, LedgerEntry, Payout, PayPeriod
from tests.integration.pay.second_pair import corrected_with_approval
from usecases import pay, work
from usecases.actors import SYSTEM
from usecases.queries import pay as pay_reads
from usecases.reconcile import reconcile

IN_11_A, CLOSE_11_A = datetime(2026, 11, 10, 2, tzinfo=UTC), datetime(2026, 11, 16, 1, tzinfo=UTC)
IN_11_B, CLOSE_11_B = datetime(2026, 11, 17, 2, tzinfo=UTC), datetime(2026, 12, 1, 1, tzinfo=UTC)
IN_12_A, CLOSE_12_A = datetime(2026, 12, 5, 2, tzinfo=UTC), datetime(2026, 12, 16, 1, tzinfo=UTC)
IN_12_B, CLOSE_12_B = datetime(2026, 12, 20, 2, tzinfo=UTC), datetime(2027, 1, 1, 1, tzinfo=UTC)


def inspected(world: Any, resident: str, at: datetime, *, pieces: int, rate_fen: int) -> str:
    """All pieces passed; 30 reported minutes keep the minimum-wage floor out of the recovery's way."""
    world.now = at
    lot = world.lot(resident, pieces=pieces, rate_fen=rate_fen)
    world.run(work.issue_materials, c.IssueMaterials(lot_id=lot, resident_id=resident, pieces=pieces), at=at)
    sub, _ = world.run(work.submit_output, resident, c.SubmitOutput(lot_id=lot, pieces=pieces, minutes_spent=30),
                       at=at)
    ins, _ = world.run(work.record_inspection, c.RecordInspection(submission_id=sub.id, passed=pieces, rejected=0),
                       at=at)
    world.earn(at)
    return str(ins.id)


def corrected_to_all_rejected(world: Any, inspection_id: str, at: datetime) -> None:
    """The pay is frozen (its period closed), so a second coordinator approves the correction (issue 16)."""
    with reading(world.engine) as session:
        original = session.exec(select(Inspection).where(Inspection.id == inspection_id)).one()
    corrected_with_approval(world, inspection_id, passed=0, rejected=original.passed, at=at)
    world.earn(at)


def close(world: Any, period_id: str, at: datetime) -> Any:
    closed, _ = world.run(pay.close_period, c.ClosePayPeriod(community_id="comm-001", period_id=period_id), at=at)
    return closed


def paid(world: Any, resident: str, period_id: str, amount_fen: int, at: datetime) -> None:
    world.run(pay.record_payout, c.RecordPayout(resident_id=resident, period_id=period_id, amount_fen=amount_fen,
                                                method="wechat", reference=f"wx-{period_id}"), at=at)


def slip(world: Any, resident: str, period_id: str) -> Any:
    with reading(world.engine) as session:
        return pay_reads.pay_slip_view(session, SYSTEM, resident, period_id)


def debt_story(world: Any, resident: str) -> None:
    """The issue's example up to the close of 2026-11-B (the period that ends at −¥10.50)."""
    first = inspected(world, resident, IN_11_A, pieces=30, rate_fen=35)
    close(world, "2026-11-A", CLOSE_11_A)
    paid(world, resident, "2026-11-A", 1050, CLOSE_11_A)
    corrected_to_all_rejected(world, first, IN_11_B)


def test_a_negative_period_is_carried_and_recovered_twenty_percent_at_a_time(pay_world: Any,
                                                                             residents: list[str]) -> None:
    resident = residents[0]
    debt_story(pay_world, resident)

    negative = close(pay_world, "2026-11-B", CLOSE_11_B)
    assert [(d.resident_id, d.debt_fen, d.recovered_fen, d.carried_on_fen, d.into_period_id)
            for d in negative.debts] == [(resident, 1050, 0, 1050, "2026-12-A")]
    assert negative.row.total_fen == 0 and negative.row.status == "paid"  # nothing payable, nothing lost
    nov_b = slip(pay_world, resident, "2026-11-B")
    assert [(x.kind, x.amount_fen) for x in nov_b.corrections] == [("reversal", -1050)]
    assert [(x.kind, x.kind_zh, x.amount_fen) for x in nov_b.carries] == [("carry_forward", "欠款结转下期", 1050)]
    assert (nov_b.total_fen, nov_b.debt_fen, nov_b.recovered_fen, nov_b.carried_on_fen) == (0, 1050, 0, 1050)

    inspected(pay_world, resident, IN_12_A, pieces=100, rate_fen=30)
    preview = slip(pay_world, resident, "2026-12-A")  # before the close: the recovery is projected
    assert (preview.final, preview.debt_fen, preview.recovered_fen, preview.carried_on_fen,
            preview.payable_fen) == (False, 1050, 600, 450, 2400)
    dec_a = close(pay_world, "2026-12-A", CLOSE_12_A)
    assert [(d.debt_fen, d.recovered_fen, d.carried_on_fen, d.into_period_id)
            for d in dec_a.debts] == [(1050, 600, 450, "2026-12-B")]
    final = slip(pay_world, resident, "2026-12-A")
    assert [(x.kind, x.amount_fen) for x in final.carries] == [("carried_in", -1050), ("carry_forward", 450)]
    assert (final.total_fen, final.recovered_fen, final.carried_on_fen, final.payable_fen) == (2400, 600, 450, 2400)
    paid(pay_world, resident, "2026-12-A", 2400, CLOSE_12_A)

    inspected(pay_world, resident, IN_12_B, pieces=100, rate_fen=40)
    dec_b = close(pay_world, "2026-12-B", CLOSE_12_B)
    assert [(d.debt_fen, d.recovered_fen, d.carried_on_fen, d.into_period_id)
            for d in dec_b.debts] == [(450, 450, 0, None)]
    last = slip(pay_world, resident, "2026-12-B")
    assert (last.total_fen, last.debt_fen, last.recovered_fen, last.carried_on_fen) == (3550, 450, 450, 0)
    paid(pay_world, resident, "2026-12-B", 3550, CLOSE_12_B)

    with reading(pay_world.engine) as session:
        ledger = sum(e.amount_fen for e in session.exec(select(LedgerEntry).where(LedgerEntry.resident_id == resident)))
        payouts = sum(p.amount_fen for p in session.exec(select(Payout).where(Payout.resident_id == resident)))
    assert ledger == payouts == 7000
    assert reconcile(pay_world.engine) == []


def test_reconcile_flags_a_payout_that_differs_from_the_slip(pay_world: Any, residents: list[str]) -> None:
    resident = residents[0]
    debt_story(pay_world, resident)
    close(pay_world, "2026-11-B", CLOSE_11_B)
    inspected(pay_world, resident, IN_12_A, pieces=100, rate_fen=30)
    close(pay_world, "2026-12-A", CLOSE_12_A)
    assert reconcile(pay_world.engine) == []
    with transaction(pay_world.engine) as session:  # paid the gross, as if the debt had not been there
        session.add(Payout(id="pay-x", reference="cash-1", resident_id=resident, period_id="2026-12-A",
                           amount_fen=3000, method="cash", actor="coord1", at=CLOSE_12_A))
    assert [d for d in reconcile(pay_world.engine) if d["scope"] == "payout"] == [
        {"scope": "payout", "id": f"{resident}:2026-12-A", "expected_fen": 2400, "ledger_fen": 3000,
         "delta_fen": 600}]


def test_reconcile_flags_a_period_marked_paid_with_a_slip_left_unpaid(pay_world: Any, residents: list[str]) -> None:
    resident = residents[0]
    inspected(pay_world, resident, IN_11_A, pieces=30, rate_fen=35)
    close(pay_world, "2026-11-A", CLOSE_11_A)
    assert reconcile(pay_world.engine) == []  # closed and not yet paid: the overdue alarm's business
    with transaction(pay_world.engine) as session:
        row = session.exec(select(PayPeriod)).one()
        row.status = "paid"
        session.add(row)
    assert [(d["scope"], d["expected_fen"], d["ledger_fen"]) for d in reconcile(pay_world.engine)] == [
        ("payout", 1050, 0)]


def test_a_community_can_recover_a_smaller_share(pay_world: Any, residents: list[str]) -> None:
    """Cap 10%: gross ¥30.00 → recover ¥3.00, carry ¥7.50."""
    with transaction(pay_world.engine) as session:
        community = session.get(Community, "comm-001")
        community.debt_recovery_cap_bps = 1_000
        session.add(community)
    resident = residents[0]
    debt_story(pay_world, resident)
    close(pay_world, "2026-11-B", CLOSE_11_B)
    inspected(pay_world, resident, IN_12_A, pieces=100, rate_fen=30)
    assert [(d.recovered_fen, d.carried_on_fen) for d in close(pay_world, "2026-12-A", CLOSE_12_A).debts] == [
        (300, 750)]
    assert reconcile(pay_world.engine) == []
