"""Turn recorded inspections into append-only ledger entries; corrections become reversals."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from domain.pay.model import (
    CorrectionTargetMissing,
    EntryDraft,
    EntryKind,
    InspectionAlreadyCorrected,
    InspectionFact,
    PayInputError,
    counts_passed_pieces,
    entry_key_for,
    reversal_key_for,
)
from domain.pay.reconcile import Difference, Totals, diff, ledger_totals, recompute_totals

__all__ = [
    "CorrectionTargetMissing",
    "Difference",
    "EntryDraft",
    "EntryKind",
    "InspectionAlreadyCorrected",
    "InspectionFact",
    "PayInputError",
    "Totals",
    "counts_passed_pieces",
    "diff",
    "earns_quality_bonus",
    "entries_for_inspection",
    "ledger_totals",
    "recompute_totals",
]


def entries_for_inspection(
    fact: InspectionFact,
    *,
    prior_entries_of_corrected: Sequence[EntryDraft],
    period_id: str,
) -> list[EntryDraft]:
    """Entries one inspection adds to the ledger: reversals of what it corrects, then its own pay.

    ``prior_entries_of_corrected`` must hold the corrected inspection's entries and any
    reversals of them; passing every entry of that inspection's lot is simplest (a superset
    is filtered here). It is ignored for an inspection that corrects nothing. Keys are
    deterministic, so applying the same inspection twice yields identical drafts, which the
    database's unique ``entry_key`` absorbs.
    """
    if not period_id:
        raise PayInputError("period_id", "must be a non-empty string")
    reversals: list[EntryDraft] = []
    if fact.corrects_inspection_id is not None:
        reversals = _reversals(fact, prior_entries_of_corrected, period_id)
    return [*reversals, *_earnings(fact, period_id)]


def earns_quality_bonus(fact: InspectionFact) -> bool:
    """Whether the inspection's pass rate reaches the bonus threshold (exact, no float)."""
    if fact.quality_bonus_fen_per_piece == 0 or fact.passed == 0:
        return False
    threshold = fact.bonus_min_pass_rate
    return threshold is None or Fraction(fact.passed, fact.inspected) >= threshold


def _earnings(fact: InspectionFact, period_id: str) -> list[EntryDraft]:
    """Piece pay is always written, even for zero passed pieces, so every inspection shows on the slip."""
    drafts = [
        _own_entry(
            fact,
            "piece_pay",
            rate_fen=fact.piece_rate_fen,
            period_id=period_id,
            memo=f"计件 piece pay: {fact.passed} passed × {fact.piece_rate_fen} fen",
        )
    ]
    if earns_quality_bonus(fact):
        drafts.append(
            _own_entry(
                fact,
                "quality_bonus",
                rate_fen=fact.quality_bonus_fen_per_piece,
                period_id=period_id,
                memo=f"质量奖 quality bonus: {fact.passed} × {fact.quality_bonus_fen_per_piece} fen",
            )
        )
    return drafts


def _own_entry(
    fact: InspectionFact, kind: EntryKind, *, rate_fen: int, period_id: str, memo: str
) -> EntryDraft:
    """An entry priced on the inspection's passed pieces."""
    return EntryDraft(
        entry_kind=kind,
        resident_id=fact.resident_id,
        order_id=fact.order_id,
        enterprise_id=fact.enterprise_id,
        community_id=fact.community_id,
        lot_id=fact.lot_id,
        inspection_id=fact.inspection_id,
        pieces=fact.passed,
        rate_fen=rate_fen,
        amount_fen=fact.passed * rate_fen,
        period_id=period_id,
        reverses_entry_key=None,
        entry_key=entry_key_for(fact.inspection_id, kind),
        memo=memo,
    )


def _reversals(fact: InspectionFact, prior: Sequence[EntryDraft], period_id: str) -> list[EntryDraft]:
    """Reverse the corrected inspection's own entries; refuse if someone else already did."""
    target = fact.corrects_inspection_id
    originals = sorted(
        (e for e in prior if e.inspection_id == target and e.entry_kind != "reversal"),
        key=lambda e: e.entry_key,
    )
    if not originals:
        raise CorrectionTargetMissing(
            "corrects_inspection_id",
            f"inspection {target!r} has no ledger entries; it must be applied before its correction",
        )
    reversed_by = {e.reverses_entry_key: e.inspection_id for e in prior if e.entry_kind == "reversal"}
    others = {reversed_by[o.entry_key] for o in originals if o.entry_key in reversed_by}
    others.discard(fact.inspection_id)  # reversed by this very correction: a replay, not a conflict
    if others:
        raise InspectionAlreadyCorrected(
            "corrects_inspection_id",
            f"inspection {target!r} was already corrected by {sorted(map(str, others))}; "
            "correct the latest inspection instead",
        )
    return [_reversal_of(original, fact, period_id) for original in originals]


def _reversal_of(original: EntryDraft, fact: InspectionFact, period_id: str) -> EntryDraft:
    """A negative mirror of one entry, posted in the current period; the original stays untouched."""
    return EntryDraft(
        entry_kind="reversal",
        resident_id=original.resident_id,
        order_id=original.order_id,
        enterprise_id=original.enterprise_id,
        community_id=original.community_id,
        lot_id=original.lot_id,
        inspection_id=fact.inspection_id,
        pieces=-original.pieces,
        rate_fen=original.rate_fen,
        amount_fen=-original.amount_fen,
        period_id=period_id,
        reverses_entry_key=original.entry_key,
        entry_key=reversal_key_for(original.entry_key),
        memo=f"更正 correction by {fact.inspection_id}: reverses {original.entry_key}",
    )
