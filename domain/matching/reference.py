"""The exact optimum of medium batches as an integer program, to measure the matcher against."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np
from scipy.optimize import LinearConstraint, milp
from scipy.sparse import coo_matrix

from domain.matching import rules
from domain.matching.fairness import neighbour_rates
from domain.matching.model import LotNeed, MatchPolicy, Mode, ResidentState, SiteState
from domain.matching.pinned import begin, load_of


def optimum(
    *,
    lots: Sequence[LotNeed],
    residents: Sequence[ResidentState],
    sites: Sequence[SiteState],
    now: datetime,
    policy: MatchPolicy = MatchPolicy(),
) -> float:
    """Best objective over every (lot, resident, mode) the rules allow, solved by HiGHS."""
    now_min, batch, open_lots = begin(lots=lots, residents=residents, sites=sites, now=now, policy=policy)
    pinned_value = rules.objective(batch.proposals, lots, residents, policy, now_min=now_min)
    site_ids = sorted(batch.seats)
    pairs: list[tuple[int, int, int, float]] = []  # lot, resident, site row or -1, value
    rates = neighbour_rates(residents)
    for li, lot in enumerate(open_lots):
        for ri, resident in enumerate(residents):
            for mode in ("home", "onsite"):
                m: Mode = "home" if mode == "home" else "onsite"
                if rules.first_broken_rule(
                    lot,
                    resident,
                    m,
                    now_min=now_min,
                    load=load_of(resident, batch.loads),
                    seats_free=batch.seats,
                    pinned=False,
                    policy=policy,
                ):
                    continue
                site = site_ids.index(lot.site_id) if m == "onsite" and lot.site_id else -1
                pairs.append((li, ri, site, rules.pair_value(lot, resident, m, policy, now_min=now_min, rates=rates)))
    if not pairs:
        return pinned_value
    arr = np.array(pairs)
    n = len(pairs)
    col = np.arange(n)
    rows_lot = arr[:, 0].astype(int)
    rows_res = len(open_lots) + arr[:, 1].astype(int)
    onsite = arr[:, 2] >= 0
    rows_site = len(open_lots) + len(residents) + arr[onsite, 2].astype(int)
    n_rows = len(open_lots) + len(residents) + len(site_ids)
    matrix = coo_matrix(
        (
            np.ones(2 * n + onsite.sum()),
            (np.concatenate([rows_lot, rows_res, rows_site]), np.concatenate([col, col, col[onsite]])),
        ),
        shape=(n_rows, n),
    )
    upper = np.concatenate([np.ones(len(open_lots) + len(residents)), [batch.seats[s] for s in site_ids]])
    res = milp(
        c=-arr[:, 3],
        constraints=LinearConstraint(matrix, -np.inf, upper),
        integrality=np.ones(n),
        bounds=(0, 1),
    )
    if not res.success:
        raise RuntimeError(f"reference optimum not found: {res.message}")
    return pinned_value - float(res.fun)
