"""The points ledger's read model: its monthly totals stay what its lines give.

Points are never money; this checks only that point_month (issue 19: the month's uncapped total the points
consumer caps by, domain.points.month_totals) equals a recomputation from the point lines, the way
domain.invariants.money checks the ledger's read models.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from domain.invariants.model import Violation
from domain.invariants.money import read_model_differences, shown
from domain.points.month_totals import MonthKey, month_deltas


def check_point_months(lines: Iterable[tuple[str, str, str, int]], stored: Mapping[MonthKey, int]) -> list[Violation]:
    """point_month equals its recomputation from the point lines (kind, resident_id, month, uncapped), to the point:
    a row the lines do not give, a row missing, or a row whose total is off is named by its resident and month,
    with both totals (uncapped points)."""
    found: list[Violation] = []
    for (resident_id, month), want, have in read_model_differences(month_deltas(lines), stored):
        found.append(Violation(
            "point_month_differs", {"resident_id": resident_id, "month": month},
            f"积分月汇总表与积分台账不符（台账{shown(want)}分，汇总表{shown(have)}分）",
            f"the monthly points read model differs from the point lines (lines {shown(want, 'en')}, read model "
            f"{shown(have, 'en')} points)",
            detail={"ledger_uncapped": want, "read_model_uncapped": have}))
    return found
