"""Hypothesis strategies for small matching batches, shared by the matching tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import strategies as st

from domain.matching.model import LotNeed, ResidentState, SiteState
from domain.matching.synthetic import Instance

NOW = datetime.fromisoformat("2026-11-23T08:00:00+08:00")  # a Monday
SKILLS = ("beading", "sewing")
SITES = ("S0", "S1")


@st.composite
def windows(draw: st.DrawFn) -> tuple[tuple[int, int, int], ...]:
    """One to three weekly windows on whole hours."""
    n = draw(st.integers(0, 3))
    out = []
    for _ in range(n):
        start = draw(st.integers(0, 22)) * 60
        out.append((draw(st.integers(0, 6)), start, min(start + draw(st.integers(1, 8)) * 60, 1440)))
    return tuple(out)


@st.composite
def residents(draw: st.DrawFn, index: int) -> ResidentState:
    """A resident with random skills, hours, load and reach."""
    skills = draw(st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 3), max_size=2))
    reach = draw(st.frozensets(st.sampled_from(SITES)))
    return ResidentState(
        resident_id=f"R{index}",
        community_id=draw(st.sampled_from(("C0", "C0", "C1"))),
        skills=skills,
        work_mode=draw(st.sampled_from(("onsite", "home", "either"))),
        reachable_site_ids=reach,
        weekly_availability=draw(windows()),
        pieces_per_hour=draw(st.dictionaries(st.sampled_from(SKILLS), st.floats(5, 60), max_size=2)),
        pass_rate=draw(st.floats(0.5, 1.0)),
        committed_minutes=draw(st.integers(0, 600)),
        open_lots=draw(st.integers(0, 2)),
        max_open_lots=draw(st.integers(1, 3)),
        earned_this_period_fen=draw(st.integers(0, 200_000)),
        priority_group=draw(st.booleans()),
        travel_minutes={s: draw(st.integers(0, 60)) for s in sorted(reach)},
        # None yet, or some hours: the fairness term needs both residents below and above their share.
        offered_minutes_this_period=draw(st.sampled_from((0.0, 60.0, 600.0)) | st.floats(0, 5_000)),
    )


@st.composite
def lots(draw: st.DrawFn, index: int, resident_ids: list[str], pin: bool) -> LotNeed:
    """A lot due within ten days, sometimes dispatched by hand, sometimes declined by some."""
    return LotNeed(
        lot_id=f"L{index}",
        order_id="O1",
        community_id=draw(st.sampled_from(("C0", "C0", "C1"))),
        skill=draw(st.sampled_from(SKILLS)),
        min_level=draw(st.integers(1, 3)),
        pieces=draw(st.integers(1, 100)),
        due_at=NOW + timedelta(minutes=draw(st.integers(60, 10 * 1440))),
        take_home_allowed=draw(st.booleans()),
        site_id=draw(st.sampled_from((*SITES, None))),
        standard_minutes_per_piece=draw(st.floats(0.5, 5.0)),
        piece_rate_centifen=draw(st.integers(1, 100)) * 100,
        pinned_resident_id=draw(st.sampled_from([*resident_ids, "R99"])) if pin and draw(st.booleans()) else None,
        excluded_resident_ids=draw(st.frozensets(st.sampled_from(resident_ids))) if resident_ids else frozenset(),
    )


@st.composite
def batches(draw: st.DrawFn, max_lots: int = 4, max_residents: int = 4, pins: bool = True) -> Instance:
    """A whole small batch: lots, residents and sites."""
    people = [draw(residents(i)) for i in range(draw(st.integers(0, max_residents)))]
    ids = [r.resident_id for r in people]
    work = [draw(lots(i, ids, pins)) for i in range(draw(st.integers(0, max_lots)))]
    sites = tuple(SiteState(s, draw(st.integers(0, 2))) for s in SITES)
    return Instance(tuple(work), tuple(people), sites, NOW)
