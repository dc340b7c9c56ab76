"""Property (issue 19): after any sequence of batches — hand-ins, inspections and corrections of two residents' lots,
earned a batch at a time, then redelivered, and a bonus and a deduction typed by a coordinator — the per-period read
model (ledger_period) equals what the old query over the lines gave (count and amount summed per community, period
and resident), and `in_community_period` finds exactly the lines a filter by community and period finds. On SQLite
and PostgreSQL.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, func, select

from domain.invariants.money import check_ledger_periods
from domain.pay.ledger_periods import PeriodTotals
from store.db import reading, transaction
from store.ledger import append_entries, entry_row, in_community_period
from store.tables import LedgerEntry
from tests.integration.pay.test_ledger_equals_recomputation_for_any_sequence_of_work import OPS, _do
from usecases import earn
from usecases import invariant_rows as rows
from usecases.consumer import apply_batch
from usecases.errors import Rejected

STEPS = st.tuples(st.integers(0, 1), OPS)  # which of the two lots, and what to do on it


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rates=st.tuples(st.integers(1, 500), st.integers(1, 500)), steps=st.lists(STEPS, min_size=10, max_size=25),
       adjustments=st.lists(st.tuples(st.integers(0, 1), st.integers(-5000, 5000), st.sampled_from(["A", "B"])),
                            max_size=4))
def test_ledger_period_is_the_ledger_summed_per_period_after_any_batches(
        pay_world: Any, residents: list[str], rates: tuple[int, int], steps: list[tuple[int, tuple[Any, ...]]],
        adjustments: list[tuple[int, int, str]]) -> None:
    lots = [(resident, pay_world.lot(resident, pieces=40, rate_fen=rate, bonus_fen=5))
            for resident, rate in zip(residents[:2], rates, strict=True)]
    for which, op in steps:
        resident, lot_id = lots[which]
        with contextlib.suppress(Rejected):
            _do(pay_world, resident, lot_id, op)
    pay_world.earn()
    with transaction(pay_world.engine) as session:  # lines of other kinds, in another period too
        append_entries(session, [entry_row(
            entry_key=f"adj-{uuid.uuid4().hex}", kind="adjustment", resident_id=residents[which],
            community_id="comm-001", amount_fen=fen, period_id=f"2026-12-{half}", posted_at=pay_world.now)
            for which, fen, half in adjustments])
    _assert_read_model_is_the_ledger(pay_world)

    # a redelivery under the same consumer, then a replay under another name: neither adds a line
    apply_batch(pay_world.engine, "earnings", pay_world.work_events, earn.apply, pay_world.ctx())
    apply_batch(pay_world.engine, "earnings-replay", pay_world.work_events, earn.apply, pay_world.ctx())
    _assert_read_model_is_the_ledger(pay_world)


def _assert_read_model_is_the_ledger(world: Any) -> None:
    with reading(world.engine) as session:
        stored = rows.ledger_periods(session)
        assert check_ledger_periods(rows.entries(session), stored) == []
        assert stored == _old_query(session)
        for community_id, period_id, _ in stored:
            found = session.exec(select(LedgerEntry.entry_key).where(in_community_period(community_id, period_id)))
            plain = session.exec(select(LedgerEntry.entry_key).where(LedgerEntry.community_id == community_id,
                                                                     LedgerEntry.period_id == period_id))
            assert sorted(found) == sorted(plain)


def _old_query(session: Session) -> dict[tuple[str, str, str], PeriodTotals]:
    """What the readers summed before the read model: every line, grouped by community, period and resident."""
    query = (select(LedgerEntry.community_id, LedgerEntry.period_id, LedgerEntry.resident_id, func.count(),
                    func.sum(LedgerEntry.amount_fen))
             .group_by(LedgerEntry.community_id, LedgerEntry.period_id, LedgerEntry.resident_id))
    return {(c, p, r): PeriodTotals(int(n), int(fen)) for c, p, r, n, fen in session.exec(query)}
