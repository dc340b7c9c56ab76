"""Seeded, plausible batches of lots and residents for benchmarks, demos and load tests."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import numpy as np

from domain.matching.model import LotNeed, ResidentState, SiteState, WorkMode

SKILLS = ("beading", "sewing", "weaving", "net_bag", "knitting", "assembly", "packing", "trimming")
_MODES: tuple[WorkMode, ...] = ("onsite", "home", "either")
# Typical hours (start, end minute): school-run parents, retirees' mornings, evenings, afternoons.
_SHIFTS = ((510, 690), (540, 900), (1140, 1290), (810, 990), (480, 1020))


@dataclass(frozen=True, slots=True)
class Instance:
    """One batch: the lots, the residents and the sites, as the stream worker would pass them."""

    lots: tuple[LotNeed, ...]
    residents: tuple[ResidentState, ...]
    sites: tuple[SiteState, ...]
    now: datetime


def weekly_hours(rng: np.random.Generator) -> tuple[tuple[int, int, int], ...]:
    """A resident's week: one or two usual shifts on some days, shifted by up to an hour."""
    days = sorted(rng.choice(7, size=int(rng.integers(3, 8)), replace=False).tolist())
    shifts = rng.choice(len(_SHIFTS), size=int(rng.integers(1, 3)), replace=False)
    offset = int(rng.integers(-2, 3)) * 30
    return tuple(
        (d, max(_SHIFTS[s][0] + offset, 0), min(_SHIFTS[s][1] + offset, 1440)) for d in days for s in sorted(shifts)
    )


def random_instance(
    seed: int,
    *,
    n_lots: int,
    n_residents: int,
    residents_per_community: int = 500,
    now: datetime | None = None,
    pinned_share: float = 0.01,
) -> Instance:
    """A batch spread over communities of `residents_per_community`, two sites each."""
    rng = np.random.default_rng(seed)
    now = now or datetime.fromisoformat("2026-11-23T08:00:00+08:00")
    n_comm = max(1, n_residents // residents_per_community)
    sites = tuple(SiteState(f"S{c}-{k}", int(rng.integers(3, 30))) for c in range(n_comm) for k in range(2))
    residents = []
    elapsed = np.random.default_rng([seed, 1]).uniform(0.1, 2.0, size=n_residents)  # weeks of the period so far
    for i in range(n_residents):
        c = int(rng.integers(n_comm))
        own = [f"S{c}-0", f"S{c}-1"]
        reach = frozenset(own[: int(rng.integers(1, 3))])
        skills = rng.choice(len(SKILLS), size=int(rng.integers(1, 4)), replace=False)
        speeds = {SKILLS[k]: float(rng.uniform(10, 60)) for k in skills if rng.random() < 0.7}
        residents.append(
            ResidentState(
                resident_id=f"R{i}",
                community_id=f"C{c}",
                skills={SKILLS[k]: int(rng.integers(1, 4)) for k in skills},
                work_mode=_MODES[int(rng.choice(3, p=[0.3, 0.3, 0.4]))],
                reachable_site_ids=reach,
                weekly_availability=weekly_hours(rng),
                pieces_per_hour=speeds,
                pass_rate=float(rng.beta(18, 1.5)),
                committed_minutes=int(rng.integers(0, 600)),
                open_lots=int(rng.integers(0, 2)),
                max_open_lots=int(rng.integers(1, 4)),
                earned_this_period_fen=int(rng.integers(0, 300_000)),
                priority_group=bool(rng.random() < 0.15),
                travel_minutes={s: int(rng.integers(3, 45)) for s in sorted(reach)},  # same draws, any hash seed
            )
        )
        week = residents[-1].weekly_availability
        offered = float(elapsed[i]) * sum(end - start for _, start, end in week)
        residents[-1] = replace(residents[-1], offered_minutes_this_period=offered)
    lots = []
    for j in range(n_lots):
        order = j // 10  # lots of one order share skill, community and due time
        orng = np.random.default_rng([seed, order])
        c = int(orng.integers(n_comm))
        pin = rng.random() < pinned_share
        lots.append(
            LotNeed(
                lot_id=f"L{j}",
                order_id=f"O{order}",
                community_id=f"C{c}",
                skill=SKILLS[int(orng.integers(len(SKILLS)))],
                min_level=int(orng.integers(1, 3)),
                pieces=int(rng.integers(20, 200)),
                due_at=now + timedelta(days=int(orng.integers(2, 10)), hours=10),
                take_home_allowed=bool(orng.random() < 0.6),
                site_id=f"S{c}-{int(orng.integers(2))}",
                standard_minutes_per_piece=float(orng.uniform(1, 5)),
                piece_rate_centifen=int(orng.integers(10, 100)) * 100,
                pinned_resident_id=f"R{int(rng.integers(n_residents))}" if pin else None,
                excluded_resident_ids=frozenset(f"R{int(x)}" for x in rng.integers(n_residents, size=3))
                if rng.random() < 0.05
                else frozenset(),
            )
        )
    return Instance(tuple(lots), tuple(residents), sites, now)
