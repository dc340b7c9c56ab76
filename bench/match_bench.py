"""Matcher benchmark: speed at 1,000 x 10,000, gap to the exact optimum, and a simulated month.

Run `python bench/match_bench.py --json`; a runner may `from bench.match_bench import run`.
The month is pure and seeded: residents with hours, true speeds and defect rates, lots
arriving every morning, matching a few times a day, every offer accepted, work done at the
resident's true speed in their hours, passing pieces paid at the piece rate.  The same month
is played with `match` at five fairness weights (the curve), with `greedy` (first come, first
served) and with `least_earned_first` (what a coordinator does by hand); fairness is measured
per hour offered (bench/match_fairness.py).  The month is one pay period.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.match_fairness import ResidentMonth, fairness_figures
from domain.matching.availability import available_minutes, local_minutes, week_windows
from domain.matching.baseline import brute_force, greedy, least_earned_first
from domain.matching.candidates import build_arcs
from domain.matching.fairness import gini
from domain.matching.model import DEFAULT_FAIRNESS_WEIGHT, LotNeed, MatchPolicy, ResidentState, SiteState
from domain.matching.reference import optimum
from domain.matching.solver import match
from domain.matching.synthetic import SKILLS, random_instance, weekly_hours

TZ = "Asia/Shanghai"
START = datetime.fromisoformat("2026-11-02T00:00:00+08:00")  # a Monday
MATCH_HOURS = (8, 12, 17)
TICK = 30  # minutes
CURVE_WEIGHTS = (0.0, 0.5, 1.0, 2.0, 4.0)  # MatchPolicy.fairness_weight values played for the curve


def solve_seconds(runs: int) -> float:
    """Median wall time of `match` on 1,000 lots and 10,000 residents, everything included."""
    batch = random_instance(2026, n_lots=1000, n_residents=10_000)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        match(lots=batch.lots, residents=batch.residents, sites=batch.sites, now=batch.now)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def gap_pct(small: int, medium: int) -> dict[str, float]:
    """Largest gap (%) between `match` and the exact optimum: brute force, then an ILP."""
    gaps_small, gaps_medium = [], []
    for seed in range(small):
        b = random_instance(seed, n_lots=3, n_residents=5, residents_per_community=5, pinned_share=0.1)
        kw = dict(lots=b.lots, residents=b.residents, sites=b.sites, now=b.now)
        best = brute_force(**kw).objective
        gaps_small.append(0.0 if best == 0 else 100 * (best - match(**kw).objective) / best)
    for seed in range(medium):
        b = random_instance(100 + seed, n_lots=80, n_residents=400, residents_per_community=100)
        kw = dict(lots=b.lots, residents=b.residents, sites=b.sites, now=b.now)
        best = optimum(**kw)
        gaps_medium.append(100 * (best - match(**kw).objective) / best)
    return {
        "match_objective_gap_pct": max(gaps_small + gaps_medium),
        "match_objective_gap_pct_brute_force": max(gaps_small),
        "match_objective_gap_pct_ilp": max(gaps_medium),
    }


@dataclass
class Worker:
    """A simulated resident: what the system knows (state) and what is true (speed, quality)."""

    state: ResidentState
    true_pph: dict[str, float]
    true_pass: float
    slot_minutes: np.ndarray  # available minutes in each half hour of the week
    queue: list[tuple[LotNeed, float, bool]] = field(default_factory=list)  # lot, pieces left, on site
    earned: int = 0
    inspected: int = 0
    passed: int = 0
    offered: float = 0.0  # minutes of availability so far this month (the pay period)
    lots: int = 0  # lots received this month
    eligible: bool = False  # passed every hard rule for some lot in some round
    eligible_for_others: bool = False  # ... for a lot that went to someone else


def _workers(rng: np.random.Generator, n_comm: int, per_comm: int) -> tuple[list[Worker], list[SiteState]]:
    sites = [SiteState(f"S{c}-{k}", int(rng.integers(3, 8))) for c in range(n_comm) for k in range(2)]
    out = []
    for i in range(n_comm * per_comm):
        c = i % n_comm
        skills = [SKILLS[k] for k in rng.choice(4, size=int(rng.integers(1, 3)), replace=False)]
        true_pph = {s: float(rng.uniform(8, 40)) for s in skills}
        observed = {s: v * float(rng.lognormal(0, 0.15)) for s, v in true_pph.items() if rng.random() < 0.7}
        reach = frozenset({f"S{c}-{int(rng.integers(2))}"})
        weekly = weekly_hours(rng)
        windows = week_windows(weekly)
        slots = np.array([available_minutes(windows, s * TICK, (s + 1) * TICK) for s in range(7 * 48)])
        state = ResidentState(
            resident_id=f"R{i}",
            community_id=f"C{c}",
            skills={s: int(rng.integers(1, 4)) for s in skills},
            work_mode=("onsite", "home", "either")[int(rng.integers(3))],
            reachable_site_ids=reach,
            weekly_availability=weekly,
            pieces_per_hour=observed,
            max_open_lots=int(rng.integers(1, 4)),
            priority_group=bool(rng.random() < 0.15),
            travel_minutes={s: int(rng.integers(3, 40)) for s in reach},
        )
        out.append(Worker(state, true_pph, float(rng.beta(12, 1.2)), slots))
    return out, sites


def _orders(rng: np.random.Generator, day: int, n_comm: int, now: datetime, seq: list[int]) -> list[LotNeed]:
    lots = []
    for c in range(n_comm):
        for _ in range(int(rng.integers(1, 4))):
            order, skill = f"D{day}-C{c}-{seq[0]}", SKILLS[int(rng.integers(4))]
            due = (now + timedelta(days=int(rng.integers(2, 6)))).replace(hour=18)
            take_home, site = bool(rng.random() < 0.6), f"S{c}-{int(rng.integers(2))}"
            smpp, rate = float(rng.uniform(1.5, 4)), int(rng.integers(10, 60))
            for _ in range(int(rng.integers(2, 6))):
                seq[0] += 1
                pieces = int(rng.integers(20, 120))
                lots.append(LotNeed(f"L{seq[0]}", order, f"C{c}", skill, 1, pieces, due, take_home, site, smpp, rate))
    return lots


def simulate(matcher, *, seed: int, days: int, n_comm: int, per_comm: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """One month: passing pieces done on time, the Gini of income, and the fairness figures per offered hour."""
    rng = np.random.default_rng(seed)
    workers, sites = _workers(rng, n_comm, per_comm)
    seq, pending, on_time_pieces, done_lots = [0], [], 0, 0
    lot_rng = np.random.default_rng(seed + 1)
    for tick in range(days * 48):
        now = START + timedelta(minutes=tick * TICK)
        if now.minute == 0 and now.hour == 7:
            pending += _orders(lot_rng, tick // 48, n_comm, now, seq)
        if now.minute == 0 and now.hour in MATCH_HOURS:
            pending = [x for x in pending if x.due_at > now]
            residents = [_state(w) for w in workers]
            seats = _seats(sites, workers)
            result = matcher(lots=pending, residents=residents, sites=seats, now=now)
            by_id = {w.state.resident_id: w for w in workers}
            taken = {p.lot_id: p for p in result.proposals}
            _note_eligible(workers, pending, residents, seats, taken, now)
            for lot in pending:
                if lot.lot_id in taken:
                    offer = taken[lot.lot_id]
                    by_id[offer.resident_id].queue.append((lot, float(lot.pieces), offer.mode == "onsite"))
                    by_id[offer.resident_id].lots += 1
            pending = [x for x in pending if x.lot_id not in taken]
        slot = tick % (7 * 48)
        end = now + timedelta(minutes=TICK)
        for w in workers:
            minutes = float(w.slot_minutes[slot])
            w.offered += minutes
            while minutes > 0 and w.queue:
                lot, left, onsite = w.queue[0]
                speed = w.true_pph[lot.skill] / 60.0
                work = min(minutes, left / speed)
                minutes -= work
                left -= work * speed
                if left > 1e-9:
                    w.queue[0] = (lot, left, onsite)
                    break
                w.queue.pop(0)
                outcome = np.random.default_rng([seed, int(lot.lot_id[1:]), int(w.state.resident_id[1:])])
                passed = int(outcome.binomial(lot.pieces, w.true_pass))
                w.earned += passed * lot.piece_rate_centifen // 100
                w.inspected += lot.pieces
                w.passed += passed
                done_lots += 1
                if end <= lot.due_at:
                    on_time_pieces += passed
    month = [ResidentMonth(w.earned, w.offered, w.lots, w.eligible, w.eligible_for_others) for w in workers]
    return {"on_time_pieces": on_time_pieces, "gini": gini([w.earned for w in workers]), "lots_done": done_lots,
            **fairness_figures(month)}


def _note_eligible(  # type: ignore[no-untyped-def]
    workers: list[Worker], lots: list[LotNeed], residents: list[ResidentState], seats: list[SiteState], taken, now
) -> None:
    """Mark who passed every hard rule for some lot of this round, and who did for a lot given to another."""
    if not lots:
        return
    arcs = build_arcs(lots=lots, residents=residents, loads={}, seats={s.site_id: s.seats_free for s in seats},
                      now_min=local_minutes(now, TZ), policy=MatchPolicy())
    for li, ri in zip(arcs.lot.tolist(), arcs.resident.tolist(), strict=True):
        w = workers[ri]
        w.eligible = True
        offer = taken.get(lots[li].lot_id)
        if offer is not None and offer.resident_id != w.state.resident_id:
            w.eligible_for_others = True


def _state(w: Worker) -> ResidentState:
    """What the matcher is told about a worker now: observed speed and quality, load, income."""
    s = w.state
    committed = sum(
        left * 60.0 / s.pieces_per_hour.get(lot.skill, 60.0 / lot.standard_minutes_per_piece)
        for lot, left, _ in w.queue
    )
    pass_rate = (w.passed + 19 * 0.95) / (w.inspected + 19)  # shrunk towards 0.95 until records accrue
    return ResidentState(
        s.resident_id,
        s.community_id,
        s.skills,
        s.work_mode,
        s.reachable_site_ids,
        s.weekly_availability,
        s.pieces_per_hour,
        pass_rate,
        int(np.ceil(committed)),
        len(w.queue),
        s.max_open_lots,
        w.earned,
        s.priority_group,
        s.travel_minutes,
        w.offered,
    )


def _seats(sites: list[SiteState], workers: list[Worker]) -> list[SiteState]:
    """Free seats: a site's seats less one for every queued lot to be worked there."""
    held: dict[str, int] = {}
    for w in workers:
        for lot, _, onsite in w.queue:
            if onsite and lot.site_id:
                held[lot.site_id] = held.get(lot.site_id, 0) + 1
    return [SiteState(s.site_id, max(s.seats_free - held.get(s.site_id, 0), 0)) for s in sites]


def run(quick: bool = False) -> dict[str, float]:
    """All figures of the matcher benchmark, as a flat dict."""
    out: dict[str, float] = {"match_solve_s_1000x10000": solve_seconds(3 if quick else 7)}
    out.update(gap_pct(small=15 if quick else 60, medium=2 if quick else 5))
    size = dict(seed=7, days=10 if quick else 30, n_comm=2 if quick else 4, per_comm=30 if quick else 50)
    out.update(month_figures(size))
    return out


def month_figures(size: dict[str, int]) -> dict[str, Any]:
    """The same seeded month with every dispatcher: on-time pieces, Ginis, fairness, and the weight curve."""
    with_greedy = simulate(greedy, **size)
    with_least = simulate(least_earned_first, **size)
    weights = sorted({*CURVE_WEIGHTS, DEFAULT_FAIRNESS_WEIGHT})
    months = {w: simulate(partial(match, policy=MatchPolicy(fairness_weight=w)), **size) for w in weights}
    with_match = months[DEFAULT_FAIRNESS_WEIGHT]
    out: dict[str, Any] = {
        "match_fairness_weight": DEFAULT_FAIRNESS_WEIGHT,
        "match_on_time_ratio_vs_greedy": with_match["on_time_pieces"] / max(with_greedy["on_time_pieces"], 1),
        "match_on_time_ratio_vs_least_earned": with_match["on_time_pieces"] / max(with_least["on_time_pieces"], 1),
        "match_gini": with_match["gini"],
        "greedy_gini": with_greedy["gini"],
        "least_earned_gini": with_least["gini"],
        "match_on_time_pieces": with_match["on_time_pieces"],
        "greedy_on_time_pieces": with_greedy["on_time_pieces"],
        "least_earned_on_time_pieces": with_least["on_time_pieces"],
        "match_eligible_residents": with_match["eligible_residents"],
    }
    for prefix, month in (("", with_match), ("greedy_", with_greedy), ("least_earned_", with_least)):
        for key in ("fair_gini_per_offered_hour", "passed_over_share", "min_to_median_hourly_ratio"):
            out[prefix + key] = month[key]
    out["fair_gini_vs_greedy"] = out["fair_gini_per_offered_hour"] / max(out["greedy_fair_gini_per_offered_hour"],
                                                                         1e-12)
    out["match_fairness_curve"] = [
        {"weight": w, "fair_gini_per_offered_hour": m["fair_gini_per_offered_hour"],
         "passed_over_share": m["passed_over_share"], "min_to_median_hourly_ratio": m["min_to_median_hourly_ratio"],
         "on_time_pieces": m["on_time_pieces"],
         "on_time_ratio_vs_greedy": m["on_time_pieces"] / max(with_greedy["on_time_pieces"], 1)}
        for w, m in months.items() if w in CURVE_WEIGHTS or w == DEFAULT_FAIRNESS_WEIGHT]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--quick", action="store_true", help="smaller runs")
    args = parser.parse_args()
    figures = run(quick=args.quick)
    print(json.dumps(figures, indent=2) if args.json else "\n".join(f"{k}: {v:.4g}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
