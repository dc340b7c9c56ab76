"""Property (issue 19): after any sequence of batches — hand-ins, inspections and corrections of two residents' lots,
earned a batch at a time, then redelivered — the per-lot read model (lot_paid) equals the ledger's passed pieces
summed per (lot, resident, rate), and the earnings consumer's `lot_pieces_paid` reads what the old query over the
whole history (piece-pay lines and their reversals, joined through the inspections) gives. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, and_, col, func, or_, select

from domain.invariants.money import check_lot_paid
from store.db import reading
from store.tables import Inspection, LedgerEntry
from tests.integration.pay.test_ledger_equals_recomputation_for_any_sequence_of_work import OPS, _do
from usecases import earn
from usecases import invariant_rows as rows
from usecases.consumer import apply_batch
from usecases.errors import Rejected

STEPS = st.tuples(st.integers(0, 1), OPS)  # which of the two lots, and what to do on it


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rates=st.tuples(st.integers(1, 500), st.integers(1, 500)), bonus=st.sampled_from([0, 5]),
       steps=st.lists(STEPS, min_size=10, max_size=40))
def test_lot_paid_is_the_ledger_summed_per_lot_after_any_batches(pay_world: Any, residents: list[str],
                                                                 rates: tuple[int, int], bonus: int,
                                                                 steps: list[tuple[int, tuple[Any, ...]]]) -> None:
    lots = [(resident, pay_world.lot(resident, pieces=40, rate_fen=rate, bonus_fen=bonus))
            for resident, rate in zip(residents[:2], rates, strict=True)]
    for which, op in steps:
        resident, lot_id = lots[which]
        with contextlib.suppress(Rejected):
            _do(pay_world, resident, lot_id, op)
    pay_world.earn()
    _assert_read_model_is_the_ledger(pay_world, [lot for _, lot in lots])

    # a redelivery under the same consumer, then a replay under another name: neither adds a piece
    apply_batch(pay_world.engine, "earnings", pay_world.work_events, earn.apply, pay_world.ctx())
    apply_batch(pay_world.engine, "earnings-replay", pay_world.work_events, earn.apply, pay_world.ctx())
    _assert_read_model_is_the_ledger(pay_world, [lot for _, lot in lots])


def _assert_read_model_is_the_ledger(world: Any, lot_ids: list[str]) -> None:
    with reading(world.engine) as session:
        stored = rows.lot_paid(session)
        assert check_lot_paid(rows.entries(session), stored) == []
        assert stored == _summed_from_lines(session)
        assert earn.lot_pieces_paid(session, sorted(lot_ids)) == _old_query(session, sorted(lot_ids))


def _summed_from_lines(session: Session) -> dict[tuple[str, str, int], int]:
    """Independently of domain.pay.lot_paid: piece pay and reversals of piece pay, pieces added per key."""
    sums: dict[tuple[str, str, int], int] = defaultdict(int)
    for e in session.exec(select(LedgerEntry)):
        if e.kind == "piece_pay" or (e.kind == "reversal" and str(e.reverses_entry_key).endswith(":piece_pay")):
            assert e.lot_id is not None
            sums[(e.lot_id, e.resident_id, e.rate_centifen)] += e.pieces
    return dict(sums)


def _old_query(session: Session, lot_ids: list[str]) -> dict[str, dict[tuple[str, int], int]]:
    """What usecases.earn.lot_pieces_paid summed before the read model: every line of the lots' history."""
    piece_pay = or_(col(LedgerEntry.kind) == "piece_pay",
                    and_(col(LedgerEntry.kind) == "reversal", col(LedgerEntry.reverses_entry_key).like("%:piece_pay")))
    query = (select(LedgerEntry.resident_id, Inspection.lot_id, LedgerEntry.rate_centifen, func.sum(LedgerEntry.pieces))
             .join(Inspection, col(Inspection.id) == LedgerEntry.inspection_id)
             .where(piece_pay, col(Inspection.lot_id).in_(lot_ids))
             .group_by(col(LedgerEntry.resident_id), col(Inspection.lot_id), col(LedgerEntry.rate_centifen)))
    paid: dict[str, dict[tuple[str, int], int]] = {}
    for resident_id, lot_id, rate, pieces in session.exec(query):
        paid.setdefault(lot_id, {})[(resident_id, rate)] = int(pieces)
    return paid
