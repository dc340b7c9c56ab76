"""An independent check of a whole result against every hard rule, for tests and benchmarks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from domain.matching import rules
from domain.matching.availability import local_minutes
from domain.matching.model import LotNeed, MatchPolicy, MatchResult, ResidentState, SiteState


def violations(
    result: MatchResult,
    *,
    lots: Sequence[LotNeed],
    residents: Sequence[ResidentState],
    sites: Sequence[SiteState],
    now: datetime,
    policy: MatchPolicy = MatchPolicy(),
) -> list[str]:
    """Every broken rule in `result`, replaying dispatched lots first, then the rest, one by one."""
    lot_by_id = {x.lot_id: x for x in lots}
    res_by_id = {r.resident_id: r for r in residents}
    loads = {r.resident_id: rules.Load(float(r.committed_minutes), r.open_lots) for r in residents}
    seats = {s.site_id: s.seats_free for s in sites}
    now_min = local_minutes(now, policy.tz)
    found: list[str] = []
    seen: set[str] = set()
    position = {x.lot_id: i for i, x in enumerate(lots)}
    ordered = sorted(
        result.proposals,
        key=lambda p: (lot_by_id[p.lot_id].pinned_resident_id is None, position.get(p.lot_id, -1)),
    )
    for p in ordered:
        lot, resident = lot_by_id.get(p.lot_id), res_by_id.get(p.resident_id)
        if lot is None or resident is None:
            found.append(f"{p.lot_id}: unknown lot or resident {p.resident_id}")
            continue
        if p.lot_id in seen:
            found.append(f"{p.lot_id}: proposed more than once")
        seen.add(p.lot_id)
        pinned = lot.pinned_resident_id is not None
        if pinned and lot.pinned_resident_id != resident.resident_id:
            found.append(f"{p.lot_id}: dispatched to {lot.pinned_resident_id} but offered to {resident.resident_id}")
        load = loads[resident.resident_id]
        rule = rules.first_broken_rule(
            lot, resident, p.mode, now_min=now_min, load=load, seats_free=seats, pinned=pinned, policy=policy
        )
        if rule is not None:
            found.append(f"{p.lot_id} -> {resident.resident_id} ({p.mode}): breaks {rule}")
        if p.expected_finish_at > lot.due_at + timedelta(seconds=1):
            found.append(f"{p.lot_id} -> {resident.resident_id}: expected to finish after it is due")
        loads[resident.resident_id] = replace(
            load,
            committed_minutes=load.committed_minutes + rules.minutes_needed(lot, resident),
            open_lots=load.open_lots + 1,
            new_lots=load.new_lots + (not pinned),
        )
        if p.mode == "onsite":
            seats[lot.site_id or ""] = seats.get(lot.site_id or "", 0) - 1
    accounted = seen | {u.lot_id for u in result.unmatched}
    found += [f"{x.lot_id}: neither proposed nor reported unmatched" for x in lots if x.lot_id not in accounted]
    found += [f"{u.lot_id}: both proposed and unmatched" for u in result.unmatched if u.lot_id in seen]
    return found
