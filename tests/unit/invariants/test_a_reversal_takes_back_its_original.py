"""ledger_not_append_only: a reversal mirrors its original's pieces and amount, except that piece pay at a rate
finer than a fen may be taken back a fen more or less (the lot is rounded once, issue 16), never more than that."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from domain.invariants.money import check_append_only
from domain.invariants.rows import EntryRow

AT = datetime(2026, 11, 20, tzinfo=UTC)
SUB_FEN = EntryRow("i2:piece_pay", "piece_pay", "r1", "c1", "2026-11-B", 1, 2, AT, rate_centifen=125)
WHOLE_FEN = replace(SUB_FEN, amount_fen=35, rate_centifen=3500)


def _reversal(original: EntryRow, amount_fen: int) -> EntryRow:
    return EntryRow(f"{original.entry_key}:reversal", "reversal", "r1", "c1", "2026-11-B", -original.pieces,
                    amount_fen, AT, original.entry_key, original.rate_centifen)


def _flagged(original: EntryRow, amount_fen: int) -> bool:
    return bool(check_append_only([original, _reversal(original, amount_fen)], refusing_rewrites=True))


def test_sub_fen_piece_pay_may_be_taken_back_a_fen_off_and_no_more() -> None:
    assert not _flagged(SUB_FEN, -2) and not _flagged(SUB_FEN, -1) and not _flagged(SUB_FEN, -3)
    assert _flagged(SUB_FEN, 0) and _flagged(SUB_FEN, -4)


def test_whole_fen_piece_pay_and_other_kinds_are_mirrored_exactly() -> None:
    assert not _flagged(WHOLE_FEN, -35)
    assert _flagged(WHOLE_FEN, -34) and _flagged(WHOLE_FEN, -36)
    bonus = replace(SUB_FEN, entry_key="i2:quality_bonus", kind="quality_bonus", amount_fen=5)
    assert _flagged(bonus, -4)
