"""Periods cut at Shanghai midnight; a closed period is frozen and a late correction posts to the next one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from schemas import commands as c
from store.db import reading, transaction
from store.tables import Community, Inspection, LedgerEntry, PayPeriod
from tests.integration.pay.second_pair import corrected_with_approval
from usecases import pay, work
from usecases.actors import SYSTEM
from usecases.errors import Conflict, Rejected
from usecases.queries import pay as pay_reads
from usecases.reconcile import reconcile

# 2026-11-30 23:30 in Shanghai is still November; ten minutes later (UTC still the 30th) it is December.
LAST_MINUTES_OF_NOVEMBER = datetime(2026, 11, 30, 15, 30, tzinfo=UTC)
FIRST_MINUTES_OF_DECEMBER = datetime(2026, 11, 30, 16, 10, tzinfo=UTC)


def _inspected(world: Any, resident: str, at: datetime, *, passed: int, rejected: int = 0) -> str:
    lot = world.lot(resident, pieces=passed + rejected, rate_fen=37)
    world.run(work.issue_materials, c.IssueMaterials(lot_id=lot, resident_id=resident, pieces=passed + rejected),
              at=at)
    sub, _ = world.run(work.submit_output, resident, c.SubmitOutput(lot_id=lot, pieces=passed + rejected), at=at)
    ins, _ = world.run(work.record_inspection, c.RecordInspection(
        submission_id=sub.id, passed=passed, rejected=rejected, defect_codes=["LOOSE"] if rejected else []), at=at)
    world.earn(at)
    return ins.id


def test_work_inspected_just_before_shanghai_midnight_is_paid_in_the_old_month(pay_world: Any,
                                                                                residents: list[str]) -> None:
    with transaction(pay_world.engine) as session:
        community = session.get(Community, "comm-001")
        community.period_kind = "month"
        session.add(community)
    _inspected(pay_world, residents[0], LAST_MINUTES_OF_NOVEMBER, passed=10)
    _inspected(pay_world, residents[0], FIRST_MINUTES_OF_DECEMBER, passed=20)
    with reading(pay_world.engine) as session:
        periods = {e.pieces: e.period_id for e in session.exec(select(LedgerEntry))}
    assert periods == {10: "2026-11", 20: "2026-12"}


def test_a_correction_after_the_close_is_an_adjustment_in_the_next_period(pay_world: Any, residents: list[str]) -> None:
    resident = residents[0]
    original = _inspected(pay_world, resident, datetime(2026, 11, 10, 2, tzinfo=UTC), passed=50, rejected=10)
    closed_at = datetime(2026, 11, 16, 1, tzinfo=UTC)  # 09:00 on the 16th in Shanghai: 2026-11-A has ended
    closed, _ = pay_world.run(pay.close_period, c.ClosePayPeriod(community_id="comm-001", period_id="2026-11-A"),
                              at=closed_at)
    assert closed.row.total_fen == 50 * 37

    later = closed_at + timedelta(days=1)
    with reading(pay_world.engine) as session:
        submission_id = session.exec(select(Inspection.submission_id).where(Inspection.id == original)).one()
    with pytest.raises(Conflict) as alone:  # frozen pay: one coordinator alone cannot correct it (issue 16)
        pay_world.run(work.record_inspection, c.RecordInspection(
            submission_id=submission_id, passed=58, rejected=2, defect_codes=["LOOSE"],
            corrects_inspection_id=original), at=later)
    assert alone.value.field == "corrects_inspection_id"
    corrected_with_approval(pay_world, original, passed=58, rejected=2, at=later)
    pay_world.earn(later)

    with reading(pay_world.engine) as session:
        old_slip, old_final = pay_reads.pay_slip(session, SYSTEM, resident, "2026-11-A")
        new_slip, new_final = pay_reads.pay_slip(session, SYSTEM, resident, "2026-11-B")
        frozen = session.exec(select(PayPeriod)).one()
    assert old_final and not new_final
    assert old_slip.total_fen == 50 * 37 == frozen.total_fen  # the closed slip did not move
    assert [(x.kind, x.pieces, x.amount_fen) for x in new_slip.corrections] == [("reversal", -50, -50 * 37)]
    assert [(x.kind, x.pieces, x.amount_fen) for x in new_slip.lines] == [("piece_pay", 58, 58 * 37)]
    assert new_slip.total_fen == 8 * 37
    assert reconcile(pay_world.engine) == []


def test_a_period_is_closed_once_and_only_after_it_ends(pay_world: Any) -> None:
    cmd = c.ClosePayPeriod(community_id="comm-001", period_id="2026-11-A")
    with pytest.raises(Rejected) as running:
        pay_world.run(pay.close_period, cmd, at=datetime(2026, 11, 15, 15, 59, tzinfo=UTC))  # 23:59 Shanghai
    assert running.value.field == "period_id"
    pay_world.run(pay.close_period, cmd, at=datetime(2026, 11, 15, 16, 0, tzinfo=UTC))
    with pytest.raises(Conflict):
        pay_world.run(pay.close_period, cmd, at=datetime(2026, 11, 17, tzinfo=UTC))
    with pytest.raises(Rejected) as wrong_kind:
        pay_world.run(pay.close_period, c.ClosePayPeriod(community_id="comm-001", period_id="2026-11"),
                      at=datetime(2026, 12, 17, tzinfo=UTC))
    assert wrong_kind.value.field == "period_id" and "half_month" in wrong_kind.value.reason

