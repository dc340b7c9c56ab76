"""Lots a coordinator dispatched by hand (派单) go first, to the named resident, if the rules allow."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from domain.matching.availability import local_minutes
from domain.matching.model import (
    LotNeed,
    MatchPolicy,
    Mode,
    Proposal,
    ResidentState,
    SiteState,
    Unmatched,
)
from domain.matching.reasons import build_proposal
from domain.matching.rules import RULE_ORDER, UNKNOWN_RESIDENT, Load, first_broken_rule, minutes_needed


@dataclass(frozen=True, slots=True)
class Batch:
    """What is left for the optimiser once dispatched lots are placed: free seats and loads."""

    proposals: tuple[Proposal, ...]
    unmatched: tuple[Unmatched, ...]
    loads: dict[str, Load]  # residents whose load changed; others carry their own
    seats: dict[str, int]
    placed: frozenset[str]  # ids of lots that were pinned, matched or not


def load_of(resident: ResidentState, loads: Mapping[str, Load]) -> Load:
    """The resident's load in this batch: changed by a dispatch, or as they arrived."""
    return loads.get(resident.resident_id) or Load(float(resident.committed_minutes), resident.open_lots)


def begin(
    *,
    lots: Sequence[LotNeed],
    residents: Sequence[ResidentState],
    sites: Sequence[SiteState],
    now: datetime,
    policy: MatchPolicy,
) -> tuple[float, Batch, list[LotNeed]]:
    """What every matcher does first: the local clock, dispatched lots placed, and the lots left open."""
    now_min = local_minutes(now, policy.tz)
    batch = place_pinned(lots=lots, residents=residents, sites=sites, now_min=now_min, policy=policy)
    return now_min, batch, [lot for lot in lots if lot.lot_id not in batch.placed]


def place_pinned(
    *,
    lots: Sequence[LotNeed],
    residents: Sequence[ResidentState],
    sites: Sequence[SiteState],
    now_min: float,
    policy: MatchPolicy,
) -> Batch:
    """Place dispatched lots in order; each one counts against the resident's time, lots and seat."""
    by_id = {r.resident_id: r for r in residents}
    loads: dict[str, Load] = {}  # only residents a dispatch touched; see `load_of`
    seats = {s.site_id: s.seats_free for s in sites}
    proposals: list[Proposal] = []
    unmatched: list[Unmatched] = []
    pinned = [lot for lot in lots if lot.pinned_resident_id is not None]
    for lot in pinned:
        rid = lot.pinned_resident_id or ""
        resident = by_id.get(rid)
        if resident is None:
            unmatched.append(Unmatched(lot.lot_id, UNKNOWN_RESIDENT, f"dispatched to {rid}, who is not in this batch"))
            continue
        broken: dict[Mode, str | None] = {}
        for mode in ("home", "onsite"):  # home first: same value, no trip and no seat used
            broken[mode] = first_broken_rule(
                lot,
                resident,
                mode,
                now_min=now_min,
                load=load_of(resident, loads),
                seats_free=seats,
                pinned=True,
                policy=policy,
            )
            if broken[mode] is None:
                break
        chosen = next((m for m, rule in broken.items() if rule is None), None)
        if chosen is None:
            code = max((r for r in broken.values() if r), key=RULE_ORDER.index)
            unmatched.append(Unmatched(lot.lot_id, code, f"dispatched to {rid}, who cannot take it: {code}"))
            continue
        load = load_of(resident, loads)
        proposals.append(
            build_proposal(
                lot,
                resident,
                chosen,
                now_min=now_min,
                committed_before=load.committed_minutes,
                pinned=True,
                below_fair_share=None,
                policy=policy,
            )
        )
        loads[rid] = replace(
            load,
            committed_minutes=load.committed_minutes + minutes_needed(lot, resident),
            open_lots=load.open_lots + 1,
        )
        if chosen == "onsite" and lot.site_id is not None:
            seats[lot.site_id] -= 1
    return Batch(tuple(proposals), tuple(unmatched), loads, seats, frozenset(lot.lot_id for lot in pinned))
