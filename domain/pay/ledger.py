"""Turn recorded inspections into append-only ledger entries; corrections become reversals."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
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
from domain.pay.money import CENTIFEN_PER_FEN, format_rate, lot_posting_fen
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
    lot_pieces_paid: Mapping[tuple[str, int], int] | None = None,
) -> list[EntryDraft]:
    """Entries one inspection adds to the ledger: reversals of what it corrects, then its own pay.

    ``prior_entries_of_corrected`` must hold the corrected inspection's entries and any
    reversals of them; passing every entry of that inspection's lot is simplest (a superset
    is filtered here). It is ignored for an inspection that corrects nothing. Keys are
    deterministic, so applying the same inspection twice yields identical drafts, which the
    database's unique ``entry_key`` absorbs.

    Money is rounded once per resident and lot (domain.pay.money): ``lot_pieces_paid`` maps (resident id,
    rate in centifen) to the passed pieces of this inspection's lot the ledger pays that resident at that
    rate (piece pay net of reversals) before this inspection, and each piece-pay posting moves the rounded
    total from there. None means the lot has no other inspection than the one corrected (if any). The
    caller adds the drafts' pieces (those for which ``counts_passed_pieces``) to its count before pricing
    the lot's next inspection, and does not price an inspection again once its entries are in the ledger
    (a replay is absorbed by the keys; priced again from a later count it would come out differently).
    Raises PayInputError when the count holds fewer pieces than a correction takes back.
    """
    if not period_id:
        raise PayInputError("period_id", "must be a non-empty string")
    own = (fact.resident_id, fact.piece_rate_centifen)
    if fact.corrects_inspection_id is None:  # nearly every inspection: the count is only read, not copied
        return _earnings(fact, period_id, lot_pieces_paid.get(own, 0) if lot_pieces_paid is not None else 0)
    paid: dict[tuple[str, int], int] = defaultdict(int)
    if lot_pieces_paid is not None:
        paid.update(lot_pieces_paid)
    reversals = _reversals(fact, prior_entries_of_corrected, period_id, paid, lot_pieces_paid is None)
    return [*reversals, *_earnings(fact, period_id, paid[own])]


def earns_quality_bonus(fact: InspectionFact) -> bool:
    """Whether the inspection's pass rate reaches the bonus threshold (exact, no float)."""
    if fact.quality_bonus_fen_per_piece == 0 or fact.passed == 0:
        return False
    threshold = fact.bonus_min_pass_rate
    return threshold is None or Fraction(fact.passed, fact.inspected) >= threshold


def _earnings(fact: InspectionFact, period_id: str, before: int) -> list[EntryDraft]:
    """The inspection's own entries, its passed pieces added to the `before` pieces of its lot the ledger pays the
    resident at its rate. Piece pay is always written, even for zero passed pieces, so every inspection shows on
    the slip."""
    rate = fact.piece_rate_centifen
    passed = fact.passed
    after = before + passed
    drafts = [
        _own_entry(
            fact,
            "piece_pay",
            rate_centifen=rate,
            amount_fen=lot_posting_fen(before, after, rate),
            period_id=period_id,
            memo=f"计件 piece pay: {passed} passed × {format_rate(rate)} (lot {before} → {after})",
        )
    ]
    if earns_quality_bonus(fact):
        bonus = fact.quality_bonus_fen_per_piece  # whole fen: exact, nothing to round
        drafts.append(
            _own_entry(
                fact,
                "quality_bonus",
                rate_centifen=bonus * CENTIFEN_PER_FEN,
                amount_fen=passed * bonus,
                period_id=period_id,
                memo=f"质量奖 quality bonus: {passed} × {bonus} fen",
            )
        )
    return drafts


def _own_entry(
    fact: InspectionFact, kind: EntryKind, *, rate_centifen: int, amount_fen: int, period_id: str, memo: str
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
        rate_centifen=rate_centifen,
        amount_fen=amount_fen,
        period_id=period_id,
        reverses_entry_key=None,
        entry_key=entry_key_for(fact.inspection_id, kind),
        memo=memo,
    )


def _reversals(
    fact: InspectionFact, prior: Sequence[EntryDraft], period_id: str, paid: dict[tuple[str, int], int], alone: bool
) -> list[EntryDraft]:
    """Reverse the corrected inspection's own entries; refuse if someone else already did.

    `alone`: no count of the lot's paid pieces was given, so the corrected inspection's are the lot's.
    """
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
    if alone:
        for original in originals:
            if counts_passed_pieces(original):
                paid[(original.resident_id, original.rate_centifen)] += original.pieces
    return [_reversal_of(original, fact, period_id, paid) for original in originals]


def _reversal_of(
    original: EntryDraft, fact: InspectionFact, period_id: str, paid: dict[tuple[str, int], int]
) -> EntryDraft:
    """A negative mirror of one entry's pieces, posted in the current period; the original stays untouched.

    Piece pay takes back what the lot's rounded total loses with those pieces (domain.pay.money), which may
    differ from the original posting by a fen; a bonus (whole fen) mirrors the original amount.
    """
    amount = -original.amount_fen
    if counts_passed_pieces(original):
        group = (original.resident_id, original.rate_centifen)
        before = paid[group]
        if before < original.pieces:
            raise PayInputError("lot_pieces_paid", f"the ledger pays {before} pieces of lot {original.lot_id!r} at "
                                                   f"this rate, fewer than the {original.pieces} a correction takes")
        amount = lot_posting_fen(before, before - original.pieces, original.rate_centifen)
        paid[group] = before - original.pieces
    return EntryDraft(
        entry_kind="reversal",
        resident_id=original.resident_id,
        order_id=original.order_id,
        enterprise_id=original.enterprise_id,
        community_id=original.community_id,
        lot_id=original.lot_id,
        inspection_id=fact.inspection_id,
        pieces=-original.pieces,
        rate_centifen=original.rate_centifen,
        amount_fen=amount,
        period_id=period_id,
        reverses_entry_key=original.entry_key,
        entry_key=reversal_key_for(original.entry_key),
        memo=f"更正 correction by {fact.inspection_id}: reverses {original.entry_key}",
    )
