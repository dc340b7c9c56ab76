"""The ledger's per-lot read model (issue 19): the passed pieces the ledger pays each resident on a lot, per rate.

Money is rounded once per resident and lot (domain.pay.money), so pricing an inspection needs the passed pieces the
ledger already pays on its lot: (resident, rate in centifen) → pieces, net of reversals (the `lot_pieces_paid` of
domain.pay.ledger.entries_for_inspection). Summing every piece-pay line of a lot for that on each batch made a
batch's cost grow with the lot's history, so every append also adds its lines to one row per (lot, resident, rate)
— `store.ledger.append_entries`, in the same transaction — and the earnings consumer reads those rows.

The lines that count are those whose pieces are passed pieces (domain.pay.model.counts_passed_pieces, the same test
as domain.pay.ledger_days.passes_pieces): piece pay, and the reversal of piece pay, whose pieces are already
negative (a mirror of the original's), so every counted line simply adds its pieces. A line without a lot (an
adjustment, a top-up) counts nowhere. A key whose lines sum to zero pieces keeps its row (zero), as the sums of the
lines grouped by key would.

Pure: no I/O. Pieces in pieces, rates in centifen (0.0001 yuan, schemas.rates).
"""

from __future__ import annotations

from collections.abc import Iterable

from domain.pay.ledger_days import passes_pieces

LotPaidKey = tuple[str, str, int]  # (lot_id, resident_id, rate_centifen)


def lot_paid_deltas(lines: Iterable[tuple[str, str | None, str, int, int, str | None]]) -> dict[LotPaidKey, int]:
    """Lines (kind, lot_id, resident_id, rate_centifen, pieces, reverses_entry_key) → pieces added per
    (lot, resident, rate), for the lines whose pieces are passed pieces (piece pay and its reversals; a reversal
    carries negative pieces). Other lines, and lines without a lot, add nothing and make no key.
    """
    sums: dict[LotPaidKey, int] = {}
    for kind, lot_id, resident_id, rate_centifen, pieces, reverses in lines:
        if lot_id is None or not passes_pieces(kind, reverses):
            continue
        key = (lot_id, resident_id, rate_centifen)
        sums[key] = sums.get(key, 0) + pieces
    return sums


def by_lot(rows: Iterable[tuple[str, str, int, int]]) -> dict[str, dict[tuple[str, int], int]]:
    """Rows (lot_id, resident_id, rate_centifen, pieces) as lot → (resident, rate) → pieces: the shape
    entries_for_inspection's `lot_pieces_paid` takes (one lot's inner mapping)."""
    paid: dict[str, dict[tuple[str, int], int]] = {}
    for lot_id, resident_id, rate_centifen, pieces in rows:
        paid.setdefault(lot_id, {})[(resident_id, rate_centifen)] = int(pieces)
    return paid
