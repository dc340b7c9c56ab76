"""How evenly income is spread, and how far each resident is below their fair share of it.

Fair, as gig workers mean it (Suhr et al., KDD 2019; FairFoody, AAAI 2022; Fairwork principle 1):
income in proportion to the time a person offers, counted over the pay period, not per lot. A
resident's fair share is the income per offered hour of their neighbours with the same skill (the
residents of their community who hold it), pooled: the group's income divided by the hours the group
offered, so if the group's income were split in proportion to time offered everyone would earn it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from domain.matching.model import ResidentState

Group = tuple[str, str]  # (community id, skill)
MIN_OFFERED_MINUTES = 1.0


def gini(values: Sequence[float]) -> float:
    """Gini coefficient: 0 when everyone earned the same, towards 1 when one person earned all."""
    xs = sorted(values)
    n, total = len(xs), sum(xs)
    if n == 0 or total == 0:
        return 0.0
    if xs[0] < 0:
        raise ValueError("gini needs non-negative values")
    ranked = sum((i + 1) * x for i, x in enumerate(xs))
    return 2.0 * ranked / (n * total) - (n + 1) / n


def offered(minutes: float) -> bool:
    """Whether a resident has offered time this period: a minute or more (less is rounding, not an offer)."""
    return minutes >= MIN_OFFERED_MINUTES


def hourly_income_fen(earned_fen: float, offered_minutes: float) -> float | None:
    """Income per offered hour in fen, or None when the resident has offered no time yet."""
    return earned_fen * 60.0 / offered_minutes if offered(offered_minutes) else None


def neighbour_rates(residents: Iterable[ResidentState]) -> dict[Group, float]:
    """Per (community, skill): the pooled income per offered hour (fen) of the residents holding that skill.

    Only residents who offered time this period (a minute or more) count, their income and their hours; a
    group where nobody has earned yet has rate 0, and then nobody in it is below their share.
    """
    earned: defaultdict[Group, float] = defaultdict(float)
    minutes: defaultdict[Group, float] = defaultdict(float)
    for r in residents:  # written out flat: a batch of 10,000 residents goes through this loop
        offered_min = r.offered_minutes_this_period
        if offered_min < MIN_OFFERED_MINUTES:
            continue
        fen, community = max(r.earned_this_period_fen, 0), r.community_id
        for skill in r.skills:
            earned[community, skill] += fen
            minutes[community, skill] += offered_min
    return {key: earned[key] * 60.0 / minutes[key] for key in earned}


_ROUNDING = 1e-9  # a shortfall smaller than this is floating-point noise of the pooled rate, not a fen


def shortfall(resident: ResidentState, skill: str, rates: Mapping[Group, float]) -> float:
    """How far below their fair share the resident is, as a fraction: 0 at or above it, 1 with no income.

    1 − (own income per offered hour) / (neighbours' rate for `skill`); 0 when either is undefined.
    """
    rate = rates.get((resident.community_id, skill), 0.0)
    own = hourly_income_fen(max(resident.earned_this_period_fen, 0), resident.offered_minutes_this_period)
    if rate <= 0 or own is None:
        return 0.0
    gap = 1.0 - own / rate
    # The pooled rate sums minutes in floating point, so a resident earning exactly it (e.g. three alike) can come
    # out a rounding error below it (1e-16): that is no shortfall, and the best earner's is exactly 0.
    return 0.0 if gap < _ROUNDING else min(gap, 1.0)
