"""Turning a chosen pairing into a proposal that carries the reasons it was chosen."""

from __future__ import annotations

from domain.matching.availability import (
    finish_minute,
    from_local_minutes,
    week_windows,
    zone,
)
from domain.matching.model import LotNeed, MatchPolicy, Mode, Proposal, Reason, ResidentState
from domain.matching.rules import minutes_needed


def build_proposal(
    lot: LotNeed,
    resident: ResidentState,
    mode: Mode,
    *,
    now_min: float,
    committed_before: float,
    pinned: bool,
    below_fair_share: tuple[float, float] | None,
    policy: MatchPolicy,
) -> Proposal:
    """A proposal with its expected finish and every reason that applies, most decisive first.

    `below_fair_share` is (own, neighbours') income per offered hour in fen when being below their fair share
    is why this resident got the lot (the solver decides that; see solver.fairness_decided), else None.
    """
    need = minutes_needed(lot, resident)
    windows = week_windows(resident.weekly_availability)
    finish = finish_minute(windows, now_min, committed_before + need)
    finish_at = from_local_minutes(finish, policy.tz) if finish is not None else lot.due_at
    finish_at = finish_at.astimezone(zone(policy.tz))
    reasons: list[Reason] = []
    if pinned:
        reasons.append(Reason("dispatched_by_coordinator"))
    reasons.append(
        Reason("skill", (("skill", lot.skill), ("level", resident.skills[lot.skill]), ("min_level", lot.min_level)))
    )
    if below_fair_share is not None:
        own, neighbours = below_fair_share
        reasons.append(
            Reason("below_fair_share", (("skill", lot.skill), ("hourly_fen", round(own)),
                                        ("neighbours_hourly_fen", round(neighbours))))
        )
    if resident.priority_group:
        reasons.append(Reason("priority_group"))
    reasons.append(
        Reason(
            "can_finish_by",
            (
                ("finish_at", finish_at.isoformat()),
                ("due_at", lot.due_at.isoformat()),
                ("minutes", round(need)),
            ),
        )
    )
    if mode == "home":
        reasons.append(Reason("take_home"))
    elif (travel := resident.travel_minutes.get(lot.site_id or "")) is not None:
        # Said only when the trip is known: an unknown one read "到微工厂只要0分钟" on every offer (new-user trial).
        code = "short_travel" if travel <= policy.short_travel_minutes else "travel"
        reasons.append(Reason(code, (("site_id", lot.site_id or ""), ("minutes", travel))))
    return Proposal(
        lot_id=lot.lot_id,
        resident_id=resident.resident_id,
        mode=mode,
        site_id=lot.site_id,
        expected_pieces_on_time=lot.pieces * resident.pass_rate,
        expected_finish_at=finish_at,
        reasons=tuple(reasons),
    )
