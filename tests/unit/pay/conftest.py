"""Builders for the pay tests: plain values with sensible defaults, overridden by keyword."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from domain.pay import EntryDraft, InspectionFact, counts_passed_pieces, entries_for_inspection

FactBuilder = Callable[..., InspectionFact]
Applier = Callable[..., list[EntryDraft]]


def build_fact(**overrides: Any) -> InspectionFact:
    """An inspection of 100 pieces, 90 passed, at 50 fen (5,000 in 0.0001 yuan) a piece."""
    values: dict[str, Any] = {
        "inspection_id": "insp-1",
        "lot_id": "lot-1",
        "order_id": "order-1",
        "enterprise_id": "ent-1",
        "resident_id": "res-1",
        "community_id": "com-1",
        "passed": 90,
        "rejected": 10,
        "piece_rate_centifen": 5000,
        "inspected_at": datetime(2026, 11, 10, 2, 0, tzinfo=UTC),
    }
    values.update(overrides)
    return InspectionFact(**values)


def apply_to_ledger(
    ledger: dict[str, EntryDraft], inspection: InspectionFact, period_id: str = "2026-11-A"
) -> list[EntryDraft]:
    """Apply an inspection the way the worker does: insert-or-ignore by entry_key, each lot's piece pay priced
    from the pieces of the lot the ledger already pays (usecases.earn.lot_pieces_paid); an inspection applied
    before is not priced again (the worker skips it by its keys) and gives back the entries it posted."""
    own = [e for e in ledger.values() if e.inspection_id == inspection.inspection_id]
    if any(e.entry_kind == "piece_pay" for e in own):
        return own
    paid: dict[tuple[str, int], int] = defaultdict(int)
    for e in ledger.values():
        if e.lot_id == inspection.lot_id and counts_passed_pieces(e):
            paid[(e.resident_id, e.rate_centifen)] += e.pieces
    drafts = entries_for_inspection(
        inspection, prior_entries_of_corrected=list(ledger.values()), period_id=period_id, lot_pieces_paid=paid
    )
    for draft in drafts:
        ledger.setdefault(draft.entry_key, draft)
    return drafts


@pytest.fixture(scope="session")
def fact() -> FactBuilder:
    """Build an inspection fact: `fact(passed=80, corrects_inspection_id="insp-1")`."""
    return build_fact


@pytest.fixture(scope="session")
def apply() -> Applier:
    """Apply an inspection to a dict ledger keyed by entry_key: `apply(ledger, fact(), "2026-11-B")`."""
    return apply_to_ledger
