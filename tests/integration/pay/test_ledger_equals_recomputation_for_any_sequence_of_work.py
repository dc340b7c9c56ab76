"""Property: whatever issue/submit/inspect/correct sequence the use cases accept, the ledger the earnings
worker writes equals pay recomputed from the inspections, replays change nothing, and no lot is over-issued."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func
from sqlmodel import select

from schemas import commands as c
from store.db import reading
from store.tables import Inspection, LedgerEntry, Lot, Submission
from usecases import earn, work
from usecases.consumer import apply_batch
from usecases.errors import Rejected
from usecases.reconcile import reconcile

OPS = st.one_of(
    st.tuples(st.just("issue"), st.integers(1, 30)),
    st.tuples(st.just("submit"), st.integers(1, 20), st.none() | st.integers(0, 600)),
    st.tuples(st.just("issue_rest")),
    st.tuples(st.just("submit_open"), st.none() | st.integers(0, 600)),
    st.tuples(st.just("inspect"), st.integers(0, 9), st.integers(0, 100), st.booleans()),
    st.tuples(st.just("correct"), st.integers(0, 9), st.integers(0, 100), st.booleans()),
    st.tuples(st.just("earn")),
    st.tuples(st.just("wait"), st.integers(1, 24 * 20)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.integers(5, 60), rate=st.integers(1, 500), bonus=st.sampled_from([0, 5]),
       ops=st.lists(OPS, min_size=10, max_size=40))
def test_ledger_matches_recomputation_and_replays_pay_nothing_twice(pay_world: Any, residents: list[str],
                                                                    pieces: int, rate: int, bonus: int,
                                                                    ops: list[tuple[Any, ...]]) -> None:
    resident = residents[0]
    lot_id = pay_world.lot(resident, pieces=pieces, rate_fen=rate, bonus_fen=bonus)
    for op in ops:
        before = _lot(pay_world, lot_id)
        try:
            _do(pay_world, resident, lot_id, op)
        except Rejected:
            assert _lot(pay_world, lot_id) == before, f"a refused {op[0]} changed the lot"
        _assert_never_over_issued(pay_world, lot_id)
    pay_world.earn()
    assert reconcile(pay_world.engine) == []

    rows_before = _ledger_rows(pay_world)
    applied, _ = apply_batch(pay_world.engine, "earnings", pay_world.work_events, earn.apply, pay_world.ctx())
    assert applied == 0  # the applied-event record stops a redelivery
    apply_batch(pay_world.engine, "earnings-replay", pay_world.work_events, earn.apply, pay_world.ctx())
    assert _ledger_rows(pay_world) == rows_before  # and entry keys stop a replay under another consumer name
    assert reconcile(pay_world.engine) == []


def _do(world: Any, resident: str, lot_id: str, op: tuple[Any, ...]) -> None:
    kind = op[0]
    if kind in ("issue_rest", "submit_open"):  # the whole remainder: keeps most histories busy, not refused
        lot = _lot(world, lot_id)
        handed_in = lot["pieces_passed"] + lot["pieces_rejected"] + lot["pieces_pending"]
        rest = lot["pieces"] - lot["pieces_issued"] if kind == "issue_rest" else lot["pieces_issued"] - handed_in
        op = ("issue", max(rest, 1)) if kind == "issue_rest" else ("submit", max(rest, 1), op[1])
        kind = op[0]
    if kind == "issue":
        world.run(work.issue_materials, c.IssueMaterials(lot_id=lot_id, resident_id=resident, pieces=op[1]))
    elif kind == "submit":
        world.run(work.submit_output, resident, c.SubmitOutput(lot_id=lot_id, pieces=op[1], minutes_spent=op[2]))
    elif kind in ("inspect", "correct"):
        status = "pending" if kind == "inspect" else "inspected"
        with reading(world.engine) as session:
            subs = session.exec(select(Submission).where(Submission.lot_id == lot_id, Submission.status == status)
                                .order_by(Submission.submitted_at, Submission.id)).all()
            if not subs:
                return
            sub = subs[op[1] % len(subs)]
            current = session.exec(select(Inspection).where(Inspection.submission_id == sub.id,
                                                            Inspection.superseded == False)).first()  # noqa: E712
        passed = sub.pieces * op[2] // 100
        rejected = sub.pieces - passed
        world.run(work.record_inspection, c.RecordInspection(
            submission_id=sub.id, passed=passed, rejected=rejected, defect_codes=["LOOSE"] if rejected else [],
            rework=bool(op[3]),
            corrects_inspection_id=current.id if kind == "correct" and current else None))
    elif kind == "earn":
        world.earn()
    else:
        world.now += timedelta(hours=op[1])


def _lot(world: Any, lot_id: str) -> dict[str, Any]:
    with reading(world.engine) as session:
        lot = session.get(Lot, lot_id)
        assert lot is not None
        return lot.model_dump()


def _assert_never_over_issued(world: Any, lot_id: str) -> None:
    lot = _lot(world, lot_id)
    handed_in = lot["pieces_passed"] + lot["pieces_rejected"] + lot["pieces_pending"]
    assert handed_in <= lot["pieces_issued"] <= lot["pieces"], lot
    assert lot["pieces_passed"] <= lot["pieces_submitted"] <= lot["pieces_issued"], lot  # first hand-ins only
    with reading(world.engine) as session:
        current = session.exec(select(func.coalesce(func.sum(Inspection.passed), 0)).where(
            Inspection.lot_id == lot_id, Inspection.superseded == False)).one()  # noqa: E712
    assert current == lot["pieces_passed"]


def _ledger_rows(world: Any) -> list[tuple[str, int]]:
    with reading(world.engine) as session:
        return sorted((e.entry_key, e.amount_fen) for e in session.exec(select(LedgerEntry)))
