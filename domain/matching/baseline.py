"""Yardsticks for the matcher: first-come-first-served, least-earned-first, and the exhaustive optimum of tiny
batches."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from domain.matching import rules
from domain.matching.fairness import neighbour_rates
from domain.matching.model import (
    LotNeed,
    MatchPolicy,
    MatchResult,
    Mode,
    Proposal,
    ResidentState,
    SiteState,
    Unmatched,
)
from domain.matching.pinned import Batch, begin, load_of
from domain.matching.reasons import build_proposal
from domain.matching.solver import check_ids

MODES: tuple[Mode, Mode] = ("home", "onsite")


def greedy(
    *,
    lots: Sequence[LotNeed],
    residents: Sequence[ResidentState],
    sites: Sequence[SiteState],
    now: datetime,
    policy: MatchPolicy = MatchPolicy(),
) -> MatchResult:
    """Lots in arrival order, each to the first resident in the list who may take it."""
    return _first_fit(lots=lots, residents=residents, sites=sites, now=now, policy=policy, least_earned=False)


def least_earned_first(
    *,
    lots: Sequence[LotNeed],
    residents: Sequence[ResidentState],
    sites: Sequence[SiteState],
    now: datetime,
    policy: MatchPolicy = MatchPolicy(),
) -> MatchResult:
    """What a thoughtful coordinator does by hand: lots in arrival order, each to the resident who may take it
    and has earned least this period so far (fen; ties in list order)."""
    return _first_fit(lots=lots, residents=residents, sites=sites, now=now, policy=policy, least_earned=True)


def _first_fit(
    *,
    lots: Sequence[LotNeed],
    residents: Sequence[ResidentState],
    sites: Sequence[SiteState],
    now: datetime,
    policy: MatchPolicy,
    least_earned: bool,
) -> MatchResult:
    """Each lot in turn to the first resident who may take it, in list order or least earned first."""
    check_ids(lots, residents)
    # Earnings do not change within a batch, and a resident takes one new lot a batch (rules.BUSY).
    ranked = sorted(residents, key=lambda r: r.earned_this_period_fen) if least_earned else list(residents)
    now_min, batch, open_lots = begin(lots=lots, residents=residents, sites=sites, now=now, policy=policy)
    loads, seats = dict(batch.loads), dict(batch.seats)
    proposals, unmatched = list(batch.proposals), list(batch.unmatched)
    for lot in open_lots:
        furthest = -1
        for resident in ranked:
            for mode in MODES:
                rule = rules.first_broken_rule(
                    lot,
                    resident,
                    mode,
                    now_min=now_min,
                    load=load_of(resident, loads),
                    seats_free=seats,
                    pinned=False,
                    policy=policy,
                )
                if rule is not None:
                    furthest = max(furthest, rules.RULE_ORDER.index(rule))
                    continue
                proposals.append(_propose(lot, resident, mode, now_min, load_of(resident, loads), policy))
                _take(lot, resident, mode, loads, seats)
                break
            else:
                continue
            break
        else:
            code = rules.RULE_ORDER[furthest] if furthest >= 0 else rules.NO_SKILL
            unmatched.append(Unmatched(lot.lot_id, code, f"no resident passed the rule: {code}"))
    value = rules.objective(proposals, lots, residents, policy, now_min=now_min)
    return MatchResult(tuple(proposals), tuple(unmatched), value)


def brute_force(
    *,
    lots: Sequence[LotNeed],
    residents: Sequence[ResidentState],
    sites: Sequence[SiteState],
    now: datetime,
    policy: MatchPolicy = MatchPolicy(),
) -> MatchResult:
    """The best result by trying every way to give each lot to nobody or a resident in a mode."""
    check_ids(lots, residents)
    now_min, batch, open_lots = begin(lots=lots, residents=residents, sites=sites, now=now, policy=policy)
    best: tuple[float, list[tuple[LotNeed, ResidentState, Mode]]] = (-1.0, [])
    rates = neighbour_rates(residents)

    def search(i: int, loads: dict[str, rules.Load], seats: dict[str, int], chosen: list) -> None:
        nonlocal best
        if i == len(open_lots):
            value = sum(rules.pair_value(lot, r, mode, policy, now_min=now_min, rates=rates)
                        for lot, r, mode in chosen)
            best = max(best, (value, list(chosen)), key=lambda b: b[0])
            return
        search(i + 1, loads, seats, chosen)
        lot = open_lots[i]
        for resident in residents:
            for mode in MODES:
                load = load_of(resident, loads)
                if rules.first_broken_rule(
                    lot, resident, mode, now_min=now_min, load=load, seats_free=seats, pinned=False, policy=policy
                ):
                    continue
                loads2, seats2 = dict(loads), dict(seats)
                _take(lot, resident, mode, loads2, seats2)
                search(i + 1, loads2, seats2, [*chosen, (lot, resident, mode)])

    search(0, dict(batch.loads), dict(batch.seats), [])
    return _result(batch, best[1], lots, residents, now_min, policy)


def _result(
    batch: Batch,
    chosen: list[tuple[LotNeed, ResidentState, Mode]],
    lots: Sequence[LotNeed],
    residents: Sequence[ResidentState],
    now_min: float,
    policy: MatchPolicy,
) -> MatchResult:
    """Proposals for the chosen pairings, and the rest of the batch's lots as unmatched."""
    proposals = list(batch.proposals)
    proposals += [_propose(lot, r, mode, now_min, load_of(r, batch.loads), policy) for lot, r, mode in chosen]
    taken = {p.lot_id for p in proposals} | {u.lot_id for u in batch.unmatched}
    unmatched = list(batch.unmatched)
    unmatched += [Unmatched(x.lot_id, rules.BUSY, "not in the best result") for x in lots if x.lot_id not in taken]
    value = rules.objective(proposals, lots, residents, policy, now_min=now_min)
    return MatchResult(tuple(proposals), tuple(unmatched), value)


def _propose(
    lot: LotNeed, resident: ResidentState, mode: Mode, now_min: float, load: rules.Load, policy: MatchPolicy
) -> Proposal:
    """A proposal with no comparative reasons: baselines do not weigh residents against each other."""
    return build_proposal(
        lot,
        resident,
        mode,
        now_min=now_min,
        committed_before=load.committed_minutes,
        pinned=False,
        below_fair_share=None,
        policy=policy,
    )


def _take(
    lot: LotNeed, resident: ResidentState, mode: Mode, loads: dict[str, rules.Load], seats: dict[str, int]
) -> None:
    """Count a new lot against the resident's load and, on site, against a seat."""
    load = load_of(resident, loads)
    loads[resident.resident_id] = replace(
        load,
        committed_minutes=load.committed_minutes + rules.minutes_needed(lot, resident),
        open_lots=load.open_lots + 1,
        new_lots=load.new_lots + 1,
    )
    if mode == "onsite" and lot.site_id is not None:
        seats[lot.site_id] -= 1
