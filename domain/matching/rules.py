"""The matching rules for one lot and one resident, written plainly: the specification.

The solver applies the same rules to whole arrays at once; tests, the baselines and the
audit use these scalar versions, so the fast path is always checked against the plain one.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from domain.matching.availability import available_minutes, local_minutes, week_windows
from domain.matching.fairness import Group, neighbour_rates, shortfall
from domain.matching.model import LotNeed, MatchPolicy, Mode, ParamValue, Proposal, ResidentState
from domain.workload import EPSILON_MINUTES, Commitment, late_with, minutes_for, pieces_per_hour

# EPSILON_MINUTES (domain.workload): rounding slack so the scalar and array paths agree on exact fits

# Why a lot found nobody, from the first rule that failed; also the order the rules are tried in.
EXCLUDED = "all_candidates_excluded"
NO_SKILL = "no_skilled_resident"
NO_MODE = "no_reachable_resident"
NO_SEAT = "no_seat"
NO_TIME = "nobody_can_finish_in_time"
BUSY = "all_candidates_busy"
UNKNOWN_RESIDENT = "pinned_resident_unknown"
RULE_ORDER = (EXCLUDED, NO_SKILL, NO_MODE, NO_SEAT, NO_TIME, BUSY)


@dataclass(frozen=True, slots=True)
class Load:
    """What a resident already carries in this batch: committed minutes, open and new lots."""

    committed_minutes: float
    open_lots: int
    new_lots: int = 0  # lots this batch gave them beyond a coordinator's dispatch


def speed(lot: LotNeed, resident: ResidentState) -> float:
    """Pieces per hour: the resident's observed speed, else the product's standard speed."""
    return pieces_per_hour(observed=resident.pieces_per_hour.get(lot.skill),
                           standard_minutes_per_piece=lot.standard_minutes_per_piece)


def minutes_needed(lot: LotNeed, resident: ResidentState) -> float:
    """Working minutes this resident needs for the whole lot."""
    return minutes_for(lot.pieces, speed(lot, resident))


def knows_skill(lot: LotNeed, resident: ResidentState) -> bool:
    """The resident holds the lot's skill at some level (has_skill also asks for the level)."""
    return lot.skill in resident.skills


def has_skill(lot: LotNeed, resident: ResidentState) -> bool:
    """The resident holds the lot's skill at its minimum level or above."""
    return resident.skills.get(lot.skill, -1) >= lot.min_level


def mode_allowed(lot: LotNeed, resident: ResidentState, mode: Mode) -> bool:
    """Home work needs a take-home lot; on-site work needs a site the resident can reach."""
    if mode == "home":
        return lot.take_home_allowed and resident.work_mode in ("home", "either")
    return (
        lot.site_id is not None
        and lot.site_id in resident.reachable_site_ids
        and resident.work_mode in ("onsite", "either")
    )


def time_left(lot: LotNeed, resident: ResidentState, *, now_min: float, committed: float, tz: str) -> float:
    """Available minutes before the due time once already committed work is done."""
    windows = week_windows(resident.weekly_availability)
    return available_minutes(windows, now_min, local_minutes(lot.due_at, tz)) - committed


def first_broken_rule(
    lot: LotNeed,
    resident: ResidentState,
    mode: Mode,
    *,
    now_min: float,
    load: Load,
    seats_free: Mapping[str, int],
    pinned: bool,
    policy: MatchPolicy,
) -> str | None:
    """The first hard rule this pairing breaks, or None when the resident may take the lot so."""
    if resident.resident_id in lot.excluded_resident_ids:
        return EXCLUDED
    if policy.same_community_only and not pinned and resident.community_id != lot.community_id:
        return NO_SKILL  # a coordinator may dispatch across communities; the matcher does not
    if not has_skill(lot, resident):
        return NO_SKILL
    if not mode_allowed(lot, resident, mode):
        return NO_MODE
    if mode == "onsite" and seats_free.get(lot.site_id or "", 0) <= 0:
        return NO_SEAT
    left = time_left(lot, resident, now_min=now_min, committed=load.committed_minutes, tz=policy.tz)
    if minutes_needed(lot, resident) > left + EPSILON_MINUTES:
        return NO_TIME
    if load.open_lots >= resident.max_open_lots or (not pinned and load.new_lots >= 1):
        return BUSY
    return None


# The hard rules by the names a coordinator's dispatch may override (DispatchLot.override_rules, Offer.override_rules).
HARD_RULES = ("skill", "level", "work_mode", "seat", "time", "open_lots")
# A resident no longer active (Resident.active false, 停用) takes no work: hard_rules_broken names this rule whatever
# it is asked to check, and no override excuses it (it is not one of HARD_RULES). The matcher never loads her.
ACTIVE = "active"


@dataclass(frozen=True, slots=True)
class Broken:
    """A hard rule (one of HARD_RULES, or ACTIVE) that giving a lot by hand breaks, with the figures that show it."""

    rule: str
    params: tuple[tuple[str, ParamValue], ...] = ()


def hand_mode(lot: LotNeed, resident: ResidentState) -> Mode:
    """Where a lot given by hand is worked: at home when allowed (no seat, no trip), else on site if it has one."""
    if mode_allowed(lot, resident, "home"):
        return "home"
    return "onsite" if lot.site_id is not None else "home"


def hard_rules_broken(
    lot: LotNeed,
    resident: ResidentState,
    *,
    commitments: Sequence[Commitment],
    seats_free: Mapping[str, int],
    now: datetime,
    policy: MatchPolicy,
    checked: Collection[str] = HARD_RULES,
) -> tuple[Mode, tuple[Broken, ...]]:
    """Every rule in `checked` that `resident` holding `lot` breaks, and the mode the lot would be worked in.

    `commitments` are the resident's committed work (domain.workload); one for this lot is replaced by the
    whole lot. Time is the earliest-due-first test with the lot included; `seats_free` excludes this lot.
    Used when a coordinator dispatches by hand and again when a resident accepts an offer. An inactive resident
    breaks ACTIVE, first, whatever `checked` says.
    """
    mode = hand_mode(lot, resident)
    found: list[Broken] = [] if resident.active else [Broken(ACTIVE)]
    if not knows_skill(lot, resident):
        found.append(Broken("skill", (("skill", lot.skill),)))
    elif not has_skill(lot, resident):
        found.append(Broken("level", (("skill", lot.skill), ("level", int(resident.skills[lot.skill])),
                                      ("min_level", lot.min_level))))
    if not mode_allowed(lot, resident, mode):
        found.append(Broken("work_mode", (("work_mode", resident.work_mode),
                                          ("take_home_allowed", int(lot.take_home_allowed)))))
    if mode == "onsite" and lot.site_id is not None and seats_free.get(lot.site_id, 0) <= 0:
        found.append(Broken("seat", (("site_id", lot.site_id),)))
    new = Commitment(lot_id=lot.lot_id, due_at=lot.due_at, minutes=minutes_needed(lot, resident), kind="offered")
    lateness = late_with(commitments, new, weekly_availability=resident.weekly_availability, now=now, tz=policy.tz)
    if lateness:
        first = lateness[0]
        found.append(Broken("time", (("lot_id", first.lot_id), ("needed", round(first.needed)),
                                     ("available", round(first.available)))))
    holding = 1 + sum(1 for c in commitments if c.lot_id != lot.lot_id)
    if holding > resident.max_open_lots:
        found.append(Broken("open_lots", (("open_lots", holding), ("max_open_lots", resident.max_open_lots))))
    return mode, tuple(b for b in found if b.rule in checked or b.rule == ACTIVE)


def travel_factor(minutes: float, policy: MatchPolicy) -> float:
    """0 for no trip, 1/2 at travel_half_minutes, approaching 1 for very long trips."""
    return minutes / (minutes + policy.travel_half_minutes)


def slack_factor(lot: LotNeed, resident: ResidentState, *, now_min: float, policy: MatchPolicy) -> float:
    """0 for a lot that only just fits before its due time, towards 1 as the time to spare grows.

    Spare time is counted in lengths of the lot itself, from the work the resident carried into the batch.
    """
    need = minutes_needed(lot, resident)
    left = time_left(lot, resident, now_min=now_min, committed=float(resident.committed_minutes), tz=policy.tz)
    spare = max(left - need, 0.0) / max(need, 1.0)
    return spare / (1.0 + spare)


def pair_value(
    lot: LotNeed,
    resident: ResidentState,
    mode: Mode,
    policy: MatchPolicy,
    *,
    now_min: float,
    rates: Mapping[Group, float],
) -> float:
    """Expected passing pieces, raised for those below their fair share, priority groups and time to spare,
    lowered by travel. `rates` are the batch's neighbour rates (fairness.neighbour_rates of all its residents).
    """
    travel = resident.travel_minutes.get(lot.site_id or "", 0) if mode == "onsite" else 0
    weight = (
        1.0
        + policy.fairness_weight * shortfall(resident, lot.skill, rates)
        + policy.priority_bonus * resident.priority_group
        - policy.travel_weight * travel_factor(travel, policy)
        + policy.slack_weight * slack_factor(lot, resident, now_min=now_min, policy=policy)
    )
    return lot.pieces * resident.pass_rate * weight


def objective(
    proposals: Sequence[Proposal],
    lots: Sequence[LotNeed],
    residents: Sequence[ResidentState],
    policy: MatchPolicy,
    *,
    now_min: float,
) -> float:
    """The one score every matcher is judged by: the sum of its proposals' pair values."""
    lot_by_id = {lot.lot_id: lot for lot in lots}
    resident_by_id = {r.resident_id: r for r in residents}
    rates = neighbour_rates(residents) if policy.fairness_weight and proposals else {}
    return sum(pair_value(lot_by_id[p.lot_id], resident_by_id[p.resident_id], p.mode, policy, now_min=now_min,
                          rates=rates)
               for p in proposals)
