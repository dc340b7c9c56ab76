"""Every allowed (lot, resident) pairing and its value, computed on arrays, not pair by pair.

Pairs are only formed inside a (community, skill) group, so a batch of 1,000 lots and 10,000
residents yields a few hundred thousand pairs, not ten million.  Each hard rule then removes
pairs in the order of `rules.RULE_ORDER`, and the rule that removed a lot's last pair is why
that lot found nobody.  Mode is decided per pair: home when allowed, since working at home has
the same value with no trip and no seat; on-site otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from domain.matching import rules
from domain.matching.availability import PatternTable, local_minutes
from domain.matching.fairness import MIN_OFFERED_MINUTES
from domain.matching.model import LotNeed, MatchPolicy, ResidentState

IntArray = npt.NDArray[np.intp]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Arcs:
    """Allowed pairings (one per lot and resident) with their values, plus why lots have none."""

    lot: IntArray
    resident: IntArray
    onsite: BoolArray
    value: FloatArray
    lot_site: IntArray  # site index of each lot, -1 when it has none
    site_seats: IntArray  # free seats per site index
    why_none: tuple[str | None, ...]  # per lot: the rule that removed its last pair
    fair: FloatArray  # per arc: the part of `value` the fairness term adds (fairness_weight × shortfall)
    shortfall: FloatArray  # per arc: how far below their fair share the resident is (fairness.shortfall)
    neighbours_rate: FloatArray  # per arc: fen per offered hour of the resident's neighbours with the lot's skill


class _Table:
    """String ids turned into dense integer codes, in order of first sight."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}

    def code(self, key: str) -> int:
        return self.codes.setdefault(key, len(self.codes))


def build_arcs(
    *,
    lots: Sequence[LotNeed],
    residents: Sequence[ResidentState],
    loads: Mapping[str, rules.Load],
    seats: Mapping[str, int],
    now_min: float,
    policy: MatchPolicy,
) -> Arcs:
    """Filter all pairings through the hard rules and value the ones that survive."""
    n_lots, n_res = len(lots), len(residents)
    skills, sites, communities = _Table(), _Table(), _Table()
    lot_skill = np.array([skills.code(lot.skill) for lot in lots], dtype=np.intp)
    lot_site = np.array([sites.code(lot.site_id) if lot.site_id else -1 for lot in lots], dtype=np.intp)
    lot_comm = np.array([communities.code(lot.community_id) for lot in lots], dtype=np.intp)
    n_skills, n_sites = max(len(skills.codes), 1), max(len(sites.codes), 1)
    site_seats = np.array([seats.get(s, 0) for s in sites.codes] or [0], dtype=np.intp)

    # Residents: one Python pass to lay their fields out as columns.
    res_comm = np.array([communities.code(r.community_id) for r in residents], dtype=np.intp)  # none match no lot
    skill_rows: list[tuple[int, int, int, float]] = []  # resident, skill, level, observed speed
    site_rows: list[tuple[int, int, float]] = []  # resident, site, travel minutes
    for i, r in enumerate(residents):
        for skill, lv in r.skills.items():
            k = skills.codes.get(skill)
            if k is not None:
                skill_rows.append((i, k, lv, r.pieces_per_hour.get(skill, 0.0)))
        for site in r.reachable_site_ids:
            s = sites.codes.get(site)
            if s is not None:
                site_rows.append((i, s, r.travel_minutes.get(site, 0)))
    sk = np.array(skill_rows, dtype=np.float64).reshape(-1, 4)
    entry_r, entry_k = sk[:, 0].astype(np.intp), sk[:, 1].astype(np.intp)
    level = np.full((n_res, n_skills), -1, dtype=np.int64)
    level[entry_r, entry_k] = sk[:, 2]
    pph = np.zeros((n_res, n_skills))
    pph[entry_r, entry_k] = sk[:, 3]
    st = np.array(site_rows, dtype=np.float64).reshape(-1, 3)
    reach = np.zeros((n_res, n_sites), dtype=bool)
    reach[st[:, 0].astype(np.intp), st[:, 1].astype(np.intp)] = True
    travel = np.zeros((n_res, n_sites))
    travel[st[:, 0].astype(np.intp), st[:, 1].astype(np.intp)] = st[:, 2]
    entry_key = entry_k + (res_comm[entry_r] * n_skills if policy.same_community_only else 0)
    home_ok = np.array([r.work_mode != "onsite" for r in residents], dtype=bool)
    onsite_ok = np.array([r.work_mode != "home" for r in residents], dtype=bool)
    carried = np.array([r.committed_minutes for r in residents], dtype=np.float64)  # into the batch
    committed = carried.copy()
    open_now = np.array([r.open_lots for r in residents], dtype=np.int64)
    if loads:  # residents a coordinator's dispatch already loaded in this batch
        changed = [(i, loads[r.resident_id]) for i, r in enumerate(residents) if r.resident_id in loads]
        committed[[i for i, _ in changed]] = [load.committed_minutes for _, load in changed]
        open_now[[i for i, _ in changed]] = [load.open_lots for _, load in changed]
    room = open_now < np.array([r.max_open_lots for r in residents], dtype=np.int64)
    pass_rate = np.array([r.pass_rate for r in residents])
    earned = np.array([r.earned_this_period_fen for r in residents], dtype=np.float64)
    priority = np.array([r.priority_group for r in residents], dtype=np.float64)
    offered = np.array([r.offered_minutes_this_period for r in residents], dtype=np.float64)
    short_of, rate_of = _shortfalls(entry_r, entry_k, res_comm, earned, offered, n_skills, len(communities.codes))
    table = PatternTable([r.weekly_availability for r in residents])

    # Candidate pairs: every lot against every resident holding its skill (in its community).
    lot_key = lot_skill if not policy.same_community_only else lot_comm * n_skills + lot_skill
    order = np.argsort(entry_key, kind="stable")
    keys_sorted = entry_key[order]
    members = entry_r[order]
    first = np.searchsorted(keys_sorted, lot_key, side="left")
    count = np.searchsorted(keys_sorted, lot_key, side="right") - first
    pl = np.repeat(np.arange(n_lots, dtype=np.intp), count)
    starts = np.repeat(first - (np.cumsum(count) - count), count)
    pr = members[np.arange(pl.size, dtype=np.intp) + starts]

    why: list[str | None] = [None if c else rules.NO_SKILL for c in count]
    stage = _Stages(n_lots, why)

    excluded = [(li, r) for li, lot in enumerate(lots) for r in lot.excluded_resident_ids]
    if excluded:
        index = {r.resident_id: i for i, r in enumerate(residents)}
        codes = np.array([li * n_res + index[r] for li, r in excluded if r in index], dtype=np.int64)
        has = np.zeros(n_lots, dtype=bool)
        has[[li for li, _ in excluded]] = True
        hit = np.flatnonzero(has[pl])
        keep = np.ones(pl.size, dtype=bool)
        keep[hit] = ~np.isin(pl[hit].astype(np.int64) * n_res + pr[hit], codes)
        pl, pr = stage.keep(pl, pr, keep, rules.EXCLUDED)

    min_level = np.array([lot.min_level for lot in lots], dtype=np.int64)
    pl, pr = stage.keep(pl, pr, level[pr, lot_skill[pl]] >= min_level[pl], rules.NO_SKILL)

    take_home = np.array([lot.take_home_allowed for lot in lots], dtype=bool)
    home = take_home[pl] & home_ok[pr]
    site = lot_site[pl]
    onsite = ~home & (site >= 0) & onsite_ok[pr] & reach[pr, np.maximum(site, 0)]
    pl, pr, onsite = stage.keep(pl, pr, home | onsite, rules.NO_MODE, onsite)
    seat_free = site_seats[np.maximum(lot_site[pl], 0)] > 0
    pl, pr, onsite = stage.keep(pl, pr, ~onsite | seat_free, rules.NO_SEAT, onsite)

    pieces = np.array([lot.pieces for lot in lots], dtype=np.float64)
    smpp = np.array([lot.standard_minutes_per_piece for lot in lots])
    due = np.array([local_minutes(lot.due_at, policy.tz) for lot in lots])
    observed = pph[pr, lot_skill[pl]]
    speed = np.where(observed > 0, observed, 60.0 / smpp[pl])
    need = pieces[pl] * 60.0 / speed
    g_now = table.cumulative(np.arange(n_res), np.full(n_res, now_min))
    span = np.where(due[pl] > now_min, table.cumulative(pr, due[pl]) - g_now[pr], 0.0)
    fits = need <= span - committed[pr] + rules.EPSILON_MINUTES
    spare = np.maximum(span - carried[pr] - need, 0.0) / np.maximum(need, 1.0)  # as rules.slack_factor
    pl, pr, onsite, spare = stage.keep(pl, pr, fits, rules.NO_TIME, onsite, spare)
    pl, pr, onsite, spare = stage.keep(pl, pr, room[pr], rules.BUSY, onsite, spare)

    trip = np.where(onsite, travel[pr, np.maximum(lot_site[pl], 0)], 0.0)
    short = short_of[pr, lot_skill[pl]]
    weight = (
        1.0
        + policy.fairness_weight * short
        + policy.priority_bonus * priority[pr]
        - policy.travel_weight * trip / (trip + policy.travel_half_minutes)
        + policy.slack_weight * spare / (1.0 + spare)
    )
    value = pieces[pl] * pass_rate[pr] * weight
    fair = pieces[pl] * pass_rate[pr] * policy.fairness_weight * short
    return Arcs(pl, pr, onsite, value, lot_site, site_seats, tuple(why), fair, short, rate_of[pr, lot_skill[pl]])


def _shortfalls(
    entry_r: IntArray,
    entry_k: IntArray,
    res_comm: IntArray,
    earned: FloatArray,
    offered: FloatArray,
    n_skills: int,
    n_comm: int,
) -> tuple[FloatArray, FloatArray]:
    """Per (resident, skill): fairness.shortfall, and the pooled rate of the community's holders of the skill."""
    short = np.zeros((earned.size, n_skills))
    rates = np.zeros((earned.size, n_skills))
    group = res_comm[entry_r] * n_skills + entry_k
    counted = offered[entry_r] >= MIN_OFFERED_MINUTES  # as fairness.offered
    size = max(n_comm, 1) * n_skills
    income = np.bincount(group[counted], weights=np.maximum(earned[entry_r][counted], 0.0), minlength=size)
    minutes = np.bincount(group[counted], weights=offered[entry_r][counted], minlength=size)
    rate = np.divide(income * 60.0, minutes, out=np.zeros(size), where=minutes > 0)[group]
    own = np.divide(np.maximum(earned[entry_r], 0.0) * 60.0, offered[entry_r], out=np.zeros(group.size),
                    where=counted)
    ok = counted & (rate > 0)
    short[entry_r[ok], entry_k[ok]] = np.clip(1.0 - own[ok] / rate[ok], 0.0, 1.0)
    rates[entry_r, entry_k] = rate
    return short, rates


class _Stages:
    """Applies one rule's mask to the pairs and notes which lots it left with none."""

    def __init__(self, n_lots: int, why: list[str | None]) -> None:
        self.n_lots = n_lots
        self.why = why

    def keep(self, pl: IntArray, pr: IntArray, mask: BoolArray, rule: str, *extra: npt.NDArray) -> tuple:
        before = np.bincount(pl, minlength=self.n_lots) > 0
        pl, pr = pl[mask], pr[mask]
        after = np.bincount(pl, minlength=self.n_lots) > 0
        for li in np.flatnonzero(before & ~after):
            self.why[li] = rule
        return (pl, pr, *(e[mask] for e in extra))
