"""An inspection's ledger entries are found by their keys, in the ledger's unique index (issue 19: the ledger has no
index by inspection): a batch applied again posts nothing, a correction's original already paid is not put before
it, and a correction is judged on the period its original's pay was posted to, not the one it was inspected in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import col, func, select

from schemas import commands as c
from schemas.catalogue import decode
from schemas.events.work import InspectionRecorded
from store.db import reading, transaction
from store.tables import Inspection, LedgerEntry, OutboxEvent
from usecases import earn, pay, work
from usecases.reconcile import reconcile
from usecases.second_pair import why_second_pair

IN_2026_11_A = datetime(2026, 11, 10, 2, tzinfo=UTC)  # 10:00 on 10 November in Shanghai
AFTER_2026_11_A = datetime(2026, 11, 16, 1, tzinfo=UTC)  # 09:00 on the 16th: 2026-11-A has ended


def _recorded(world: Any, resident: str, at: datetime, *, passed: int, rejected: int = 0,
              corrects: str | None = None, bonus_fen: int = 0) -> str:
    """A recorded inspection (not yet paid); a correction when `corrects` names the inspection it corrects."""
    if corrects is None:
        lot = world.lot(resident, pieces=passed + rejected, rate_fen=37, bonus_fen=bonus_fen)
        world.run(work.issue_materials, c.IssueMaterials(lot_id=lot, resident_id=resident, pieces=passed + rejected),
                  at=at)
        sub, _ = world.run(work.submit_output, resident, c.SubmitOutput(lot_id=lot, pieces=passed + rejected), at=at)
        submission_id = sub.id
    else:
        with reading(world.engine) as session:
            submission_id = session.exec(select(Inspection.submission_id).where(Inspection.id == corrects)).one()
    ins, _ = world.run(work.record_inspection, c.RecordInspection(
        submission_id=submission_id, passed=passed, rejected=rejected, defect_codes=["LOOSE"] if rejected else [],
        corrects_inspection_id=corrects), at=at)
    return str(ins.id)


def _lines(world: Any) -> int:
    with reading(world.engine) as session:
        return int(session.exec(select(func.count()).select_from(LedgerEntry)).one())


def test_a_batch_applied_again_without_its_applied_records_posts_nothing(pay_world: Any, residents: list[str]) -> None:
    original = _recorded(pay_world, residents[0], IN_2026_11_A, passed=50, bonus_fen=2)
    zero = _recorded(pay_world, residents[1], IN_2026_11_A, passed=0, rejected=5)  # piece pay of 0 is posted too
    pay_world.earn(IN_2026_11_A)
    _recorded(pay_world, residents[0], IN_2026_11_A, passed=40, rejected=10, corrects=original)
    pay_world.earn(IN_2026_11_A)
    with reading(pay_world.engine) as session:
        kinds = sorted(session.exec(select(LedgerEntry.kind)).all())
        assert session.exec(select(LedgerEntry.amount_fen).where(LedgerEntry.inspection_id == zero)).all() == [0]
    assert kinds == ["piece_pay", "piece_pay", "piece_pay", "quality_bonus", "quality_bonus", "reversal", "reversal"]
    before = _lines(pay_world)

    # The handler itself, not apply_batch: no applied-event record stops it, only the keys already in the ledger.
    with transaction(pay_world.engine) as session:
        assert earn.apply(session, pay_world.work_events, pay_world.ctx(IN_2026_11_A)) == []
    assert _lines(pay_world) == before
    assert reconcile(pay_world.engine) == []


def test_a_correction_s_original_is_put_first_only_while_it_is_unpaid(pay_world: Any, residents: list[str]) -> None:
    original = _recorded(pay_world, residents[0], IN_2026_11_A, passed=50)
    correction = _recorded(pay_world, residents[0], IN_2026_11_A, passed=45, rejected=5, corrects=original)
    with reading(pay_world.engine) as session:
        assert earn.corrected_first(session, [correction], {}) == [original, correction]
    with transaction(pay_world.engine) as session:  # the original alone, as a batch that ended before its correction
        assert len(earn.apply(session, _recorded_event(pay_world, original), pay_world.ctx(IN_2026_11_A))) == 1
    with reading(pay_world.engine) as session:
        assert earn.corrected_first(session, [correction], {}) == [correction]


def test_a_correction_is_judged_on_the_period_its_original_was_paid_in(pay_world: Any, residents: list[str]) -> None:
    # Inspected in 2026-11-A but paid only after that period was closed: its pay went to 2026-11-B, which is open,
    # so correcting it needs no second coordinator (its inspection time alone would say "closed_period").
    late = _recorded(pay_world, residents[0], IN_2026_11_A, passed=30)
    pay_world.run(pay.close_period, c.ClosePayPeriod(community_id="comm-001", period_id="2026-11-A"),
                  at=AFTER_2026_11_A)
    pay_world.earn(AFTER_2026_11_A + timedelta(hours=1))
    with reading(pay_world.engine) as session:
        assert session.exec(select(LedgerEntry.period_id).where(col(LedgerEntry.inspection_id) == late)).all() == [
            "2026-11-B"]
        inspection = session.get(Inspection, late)
        assert inspection is not None and not inspection.automatic
        assert why_second_pair(session, inspection, "comm-001") is None
    paid_in_a = _recorded(pay_world, residents[1], IN_2026_11_A, passed=30)
    with reading(pay_world.engine) as session:  # not paid yet: judged on its inspection time, in the closed period
        inspection = session.get(Inspection, paid_in_a)
        assert inspection is not None
        assert why_second_pair(session, inspection, "comm-001") == "closed_period"


def _recorded_event(world: Any, inspection_id: str) -> list[InspectionRecorded]:
    """The InspectionRecorded of an inspection, from the outbox."""
    with reading(world.engine) as session:
        payloads = session.exec(select(OutboxEvent.payload).where(OutboxEvent.topic == "mf.work.v1")).all()
    found = [e for e in (decode(p.encode()) for p in payloads)
             if isinstance(e, InspectionRecorded) and e.inspection_id == inspection_id]
    assert len(found) == 1
    return found
