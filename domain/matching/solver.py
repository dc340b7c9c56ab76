"""Matching a batch of lots to residents: the optimum of one shared objective under hard rules.

Rules that keep every proposal safe together: coordinator-dispatched lots are placed first
and count against the resident's time, lots and seat; after that each resident gets at most
one new lot per batch, so "can finish in time" is checked with what they already carry and
holds for the whole result.  The matcher runs again on the next batch or timer tick.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np
import numpy.typing as npt

from domain.matching import rules
from domain.matching.candidates import Arcs, IntArray, build_arcs
from domain.matching.fairness import hourly_income_fen
from domain.matching.flow import choose
from domain.matching.model import (
    LotNeed,
    MatchPolicy,
    MatchResult,
    Proposal,
    ResidentState,
    SiteState,
    Unmatched,
)
from domain.matching.pinned import begin, load_of
from domain.matching.reasons import build_proposal


def match(
    *,
    lots: Sequence[LotNeed],
    residents: Sequence[ResidentState],
    sites: Sequence[SiteState],
    now: datetime,
    policy: MatchPolicy = MatchPolicy(),
) -> MatchResult:
    """Propose lots to residents so that expected passing pieces, fairly spread, are greatest."""
    check_ids(lots, residents)
    now_min, batch, open_lots = begin(lots=lots, residents=residents, sites=sites, now=now, policy=policy)
    arcs = build_arcs(
        lots=open_lots, residents=residents, loads=batch.loads, seats=batch.seats, now_min=now_min, policy=policy
    )
    chosen = choose(arcs, n_lots=len(open_lots), max_nodes=policy.max_branch_nodes)

    n_lots = len(open_lots)
    candidates = np.bincount(arcs.lot, minlength=n_lots)
    chosen = chosen[np.argsort(arcs.lot[chosen], kind="stable")]
    decided = fairness_decided(arcs, chosen)

    proposals: list[Proposal] = list(batch.proposals)
    matched = set()
    for a, by_fairness in zip(chosen, decided, strict=True):
        li, ri = int(arcs.lot[a]), int(arcs.resident[a])
        lot, resident = open_lots[li], residents[ri]
        own = hourly_income_fen(resident.earned_this_period_fen, resident.offered_minutes_this_period)
        fair_share = (own or 0.0, float(arcs.neighbours_rate[a])) if by_fairness else None
        proposals.append(
            build_proposal(
                lot,
                resident,
                "onsite" if arcs.onsite[a] else "home",
                now_min=now_min,
                committed_before=load_of(resident, batch.loads).committed_minutes,
                pinned=False,
                below_fair_share=fair_share,
                policy=policy,
            )
        )
        matched.add(li)
    unmatched = list(batch.unmatched)
    for li, lot in enumerate(open_lots):
        if li not in matched:
            code = arcs.why_none[li] or rules.BUSY
            detail = (
                f"{int(candidates[li])} residents could take it, all were given other lots"
                if code == rules.BUSY and candidates[li]
                else f"no resident passed the rule: {code}"
            )
            unmatched.append(Unmatched(lot.lot_id, code, detail))
    return MatchResult(
        proposals=tuple(proposals),
        unmatched=tuple(unmatched),
        objective=rules.objective(proposals, lots, residents, policy, now_min=now_min),
    )


def fairness_decided(arcs: Arcs, chosen: IntArray) -> npt.NDArray[np.bool_]:
    """Per chosen arc: was being below their fair share why this resident got this lot?

    True when another resident who could take the lot was at least as good on every other term (expected
    passing pieces, priority, travel, time to spare) and is nearer their fair share: without the fairness
    term the lot would not have been theirs for certain. Only then does the offer say so.
    """
    if chosen.size == 0 or not arcs.fair.any():
        return np.zeros(chosen.size, dtype=bool)
    base = arcs.value - arcs.fair
    pick = np.full(int(arcs.lot.max()) + 1, -1, dtype=np.intp)  # per lot: its chosen arc
    pick[arcs.lot[chosen]] = chosen
    rival = np.flatnonzero(pick[arcs.lot] >= 0)
    mine = pick[arcs.lot[rival]]
    rival, mine = rival[rival != mine], mine[rival != mine]
    tol = 1e-9 * np.maximum(np.abs(base[mine]), 1.0)
    beaten = (base[rival] >= base[mine] - tol) & (arcs.fair[rival] < arcs.fair[mine] - tol)
    decided = np.zeros(pick.size, dtype=bool)
    decided[arcs.lot[rival[beaten]]] = True
    return decided[arcs.lot[chosen]] & (arcs.fair[chosen] > 0)


def check_ids(lots: Sequence[LotNeed], residents: Sequence[ResidentState]) -> None:
    """Refuse a batch with a repeated lot or resident id, which would make proposals ambiguous."""
    for name, ids in (("lot", [x.lot_id for x in lots]), ("resident", [x.resident_id for x in residents])):
        if len(set(ids)) != len(ids):
            raise ValueError(f"{name} ids in a batch must be unique")
