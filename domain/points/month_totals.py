"""The points ledger's monthly read model (issue 19): Σ uncapped of a resident's scored lines in a month.

A resident's points are capped per calendar month (domain.points.rules: each scored line carries the change of
min(cap, Σ uncapped)), so scoring an inspection needs the month's uncapped total so far. Summing every line of the
month for that on each batch made a batch cost more as the month filled, so every append of point lines also adds
them to one row per (resident, month) — `store.points.append_points`, in the same transaction — and the points
consumer reads those rows.

The lines that count are the scored ones (work and its reversals: SCORED_KINDS), each adding its `uncapped`
(a reversal's is already negative). Redemptions and volunteer lines count nowhere. A key whose lines sum to zero
keeps its row (zero), as the sums of the lines grouped by key would.

Pure: no I/O. Points in integer points, months "YYYY-MM" (Asia/Shanghai).
"""

from __future__ import annotations

from collections.abc import Iterable

SCORED_KINDS = ("work", "reversal")  # the lines the monthly cap counts
MonthKey = tuple[str, str]  # (resident_id, month)


def month_deltas(lines: Iterable[tuple[str, str, str, int]]) -> dict[MonthKey, int]:
    """Lines (kind, resident_id, month, uncapped) → uncapped points added per (resident, month), for the scored
    lines (work and reversal); other lines add nothing and make no key."""
    sums: dict[MonthKey, int] = {}
    for kind, resident_id, month, uncapped in lines:
        if kind in SCORED_KINDS:
            key = (resident_id, month)
            sums[key] = sums.get(key, 0) + uncapped
    return sums
