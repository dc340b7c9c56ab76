"""Invariant 1: every ledger total equals passed × rate recomputed from the recorded inspections.

Rates are any amount with up to four decimals of a yuan (issue 16): the ledger rounds each resident's lot once
(domain.pay.money), reconciliation recomputes that with its own code (domain.pay.reconcile), and they agree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.pay import (
    EntryDraft,
    InspectionAlreadyCorrected,
    InspectionFact,
    counts_passed_pieces,
    diff,
    entries_for_inspection,
    ledger_totals,
    recompute_totals,
)

RESIDENTS = ("res-a", "res-b", "res-c")
ORDERS = {"order-1": "ent-x", "order-2": "ent-x", "order-3": "ent-y"}
INSPECTED_AT = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)
LOTS = {"lot-1": "order-1", "lot-2": "order-1", "lot-3": "order-2", "lot-4": "order-3"}


@dataclass(frozen=True)
class Work:
    """What one inspection found: any of it may change in a correction."""

    resident: str
    passed: int
    rejected: int
    rate_centifen: int  # 0.0001 yuan a piece: any rate with up to four decimals
    bonus_fen: int
    threshold: Fraction | None


work = st.builds(
    Work,
    resident=st.sampled_from(RESIDENTS),
    passed=st.integers(0, 500),
    rejected=st.integers(0, 50),
    rate_centifen=st.integers(0, 200_000),
    bonus_fen=st.sampled_from((0, 0, 5, 13)),
    threshold=st.sampled_from((None, Fraction(9, 10), Fraction(1, 1), Fraction(0))),
)
# ("new", lot, work) | ("correct", index of an earlier inspection, work) | ("replay", index, None)
actions = st.lists(
    st.one_of(
        st.tuples(st.just("new"), st.sampled_from(sorted(LOTS)), work),
        st.tuples(st.just("correct"), st.integers(0, 40), work),
        st.tuples(st.just("replay"), st.integers(0, 40), st.none()),
    ),
    max_size=40,
)


def _fact(i: int, lot: str, w: Work, corrects: str | None) -> InspectionFact:
    order = LOTS[lot]
    return InspectionFact(
        inspection_id=f"insp-{i}",
        lot_id=lot,
        order_id=order,
        enterprise_id=ORDERS[order],
        resident_id=w.resident,
        community_id="com-1",
        passed=w.passed,
        rejected=w.rejected,
        piece_rate_centifen=w.rate_centifen,
        quality_bonus_fen_per_piece=w.bonus_fen,
        bonus_min_pass_rate=w.threshold,
        inspected_at=INSPECTED_AT + timedelta(minutes=i),
        corrects_inspection_id=corrects,
    )


def _apply(ledger: dict[str, EntryDraft], fact: InspectionFact, *, whole_ledger: bool) -> set[str]:
    """Apply as the worker does (insert-or-ignore by key); returns the keys the drafts carried.

    Piece pay is priced from the pieces of the lot the ledger already pays (usecases.earn), so an inspection
    applied before is not priced again: the worker knows it by its keys, and so does this.
    """
    own = {e.entry_key for e in ledger.values() if e.inspection_id == fact.inspection_id}
    if f"{fact.inspection_id}:piece_pay" in own:
        return own
    prior = list(ledger.values())
    if not whole_ledger:  # the narrow query the worker would run: the corrected lot's entries
        prior = [e for e in prior if e.lot_id == fact.lot_id]
    paid: dict[tuple[str, int], int] = defaultdict(int)
    for e in ledger.values():
        if e.lot_id == fact.lot_id and counts_passed_pieces(e):
            paid[(e.resident_id, e.rate_centifen)] += e.pieces
    drafts = entries_for_inspection(fact, prior_entries_of_corrected=prior, period_id="2026-11-B",
                                    lot_pieces_paid=paid)
    for draft in drafts:
        assert ledger.setdefault(draft.entry_key, draft) == draft, "same key must mean the same entry"
    return {d.entry_key for d in drafts}


@settings(max_examples=300, deadline=None)
@given(history=actions, whole_ledger=st.booleans())
def test_ledger_totals_equal_recomputed_totals_after_any_corrections_and_replays(
    history: list[tuple[str, object, Work | None]], whole_ledger: bool
) -> None:
    ledger: dict[str, EntryDraft] = {}
    recorded: list[InspectionFact] = []
    corrected: set[str] = set()
    for i, (action, arg, w) in enumerate(history):
        if action == "new":
            assert isinstance(arg, str) and w is not None
            fact = _fact(i, arg, w, None)
        elif not recorded:
            continue
        elif action == "correct":
            assert isinstance(arg, int) and w is not None
            target = recorded[arg % len(recorded)]
            fact = _fact(i, target.lot_id, w, target.inspection_id)
            if target.inspection_id in corrected:
                try:
                    _apply(ledger, fact, whole_ledger=whole_ledger)
                except InspectionAlreadyCorrected:
                    continue  # refused as a whole: nothing recorded, nothing posted
                raise AssertionError("a superseded inspection was corrected a second time")
        else:
            assert isinstance(arg, int)
            before = set(ledger)
            keys = _apply(ledger, recorded[arg % len(recorded)], whole_ledger=whole_ledger)
            assert set(ledger) == before and keys <= before, "a replay must add nothing"
            continue
        _apply(ledger, fact, whole_ledger=whole_ledger)
        recorded.append(fact)
        if fact.corrects_inspection_id:
            corrected.add(fact.corrects_inspection_id)

    # Replaying the whole recorded stream again, as after a broker restart, changes nothing.
    snapshot = dict(ledger)
    for fact in recorded:
        _apply(ledger, fact, whole_ledger=whole_ledger)
    assert ledger == snapshot

    assert diff(recompute_totals(recorded + recorded), ledger_totals(ledger.values())) == []
