"""Fairness as residents mean it, measured on a simulated month (issue 18): income per hour offered.

Pure functions of what each resident earned, offered and was eligible for, so a hand-computed toy month
checks them (tests/unit/bench). Definitions (bench/METHOD.md explains why these):
- the population is every resident who was eligible (passed every hard rule) for at least one lot in the
  month and offered some time;
- `fair_gini_per_offered_hour`: the Gini of (passing income, fen) / (hours made available in the month);
- `passed_over_share`: the share of the population eligible for a lot that went to someone else and who got
  no lot at all in the month;
- `min_to_median_hourly_ratio`: the first decile (10th percentile, linear interpolation) of income per offered
  hour over its median (the D1/D5 ratio of wage statistics); 0 when the median is 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from domain.matching.fairness import gini


@dataclass(frozen=True, slots=True)
class ResidentMonth:
    """One resident's month: passing income, hours offered, lots received, and eligibility."""

    earned_fen: int
    offered_minutes: float
    lots_received: int
    eligible: bool  # passed every hard rule for at least one lot in some matching round
    eligible_for_others: bool  # ... for a lot that was given to someone else


def fairness_figures(month: Sequence[ResidentMonth]) -> dict[str, float]:
    """The three fairness figures of one dispatcher's month (keys without a dispatcher prefix)."""
    population = [r for r in month if r.eligible and r.offered_minutes > 0]
    if not population:
        return {"fair_gini_per_offered_hour": 0.0, "passed_over_share": 0.0, "min_to_median_hourly_ratio": 1.0,
                "eligible_residents": 0}
    hourly = np.array([r.earned_fen * 60.0 / r.offered_minutes for r in population])
    passed_over = sum(1 for r in population if r.eligible_for_others and r.lots_received == 0)
    median = float(np.percentile(hourly, 50))
    return {
        "fair_gini_per_offered_hour": gini(hourly.tolist()),
        "passed_over_share": passed_over / len(population),
        "min_to_median_hourly_ratio": float(np.percentile(hourly, 10)) / median if median > 0 else 0.0,
        "eligible_residents": len(population),
    }
