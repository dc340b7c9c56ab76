"""The ledger's per-period read model (issue 19): each resident's lines summed per community and pay period.

Matching (what each resident earned this period), closing a period, the pay board's unpaid periods, the payouts
still due and the payout export sum the ledger's amounts by community × pay period (and resident). Those sums were
read through an index of the ledger by (community, period, resident, amount), which cost a B-tree insert on every
line the earnings consumer appends (≈ 4 µs a line on SQLite). Every append instead adds its lines to one row per
(community, period, resident) — `store.ledger.append_entries`, in the same transaction, one upsert per key a batch
touches — and those reads sum the rows. A row keeps:

- `amount_fen`: every line's amount, whatever its kind (piece pay, bonuses, reversals, adjustments, top-ups, a
  carried debt's halves), as the sum over the lines was — each line counts in the period it was posted to, which
  may be a later open period than the day of its work;
- `lines`: every line, so a resident whose lines sum to zero keeps her row, as a GROUP BY over the lines would
  list her.

Point lines are another ledger (point_entry) and count nowhere here. Pure: no I/O. Amounts in fen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

PeriodKey = tuple[str, str, str]  # (community_id, period_id, resident_id)


@dataclass(frozen=True)
class PeriodTotals:
    """One resident's ledger lines in one community's pay period, summed: how many, and their amounts in fen."""

    lines: int = 0
    amount_fen: int = 0


def period_totals(lines: Iterable[tuple[str, str, str, int]]) -> dict[PeriodKey, PeriodTotals]:
    """Lines (community_id, period_id, resident_id, amount_fen) → their count and amount (fen) per
    (community, period, resident); every line counts."""
    counts: dict[PeriodKey, list[int]] = {}
    for community_id, period_id, resident_id, amount_fen in lines:
        key = (community_id, period_id, resident_id)
        found = counts.get(key)
        if found is None:
            counts[key] = [1, amount_fen]
        else:
            found[0] += 1
            found[1] += amount_fen
    return {key: PeriodTotals(n, fen) for key, (n, fen) in counts.items()}
