"""What the matching rules read from the database: lots as LotNeed, residents as ResidentState, free seats.

The matcher, accepting an offer and a coordinator's dispatch all build their inputs here, so the rules see
the same resident (committed work from usecases.workload, pending offers included) whoever asks.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from domain.lifecycle.lot import SEATED
from domain.matching.availability import offered_minutes
from domain.matching.model import DEFAULT_PASS_RATE, LotNeed, MatchPolicy, ResidentState, SiteState
from domain.pay.periods import PayPeriod
from domain.workload import Commitment, committed_minutes
from store.tables import Community, Lot, Order, Product, Resident, Site

TZ = "Asia/Shanghai"  # residents' weekly hours are local wall-clock times


def lot_need(lot: Lot, order: Order, product: Product, community_sites: list[str]) -> LotNeed:
    """A lot as the matching rules see it: skill and level, pieces, due date, where it is worked."""
    return LotNeed(
        lot_id=lot.id, order_id=lot.order_id, community_id=lot.community_id, skill=product.skill,
        min_level=order.min_level, pieces=lot.pieces, due_at=lot.due_at,
        take_home_allowed=order.take_home_allowed, site_id=work_site(order, community_sites),
        standard_minutes_per_piece=product.standard_minutes_per_piece, piece_rate_centifen=order.piece_rate_centifen,
        pinned_resident_id=lot.pinned_resident_id, excluded_resident_ids=frozenset(lot.excluded_resident_ids))


def work_site(order: Order, community_sites: list[str]) -> str | None:
    """Where a lot's on-site work and pick-up happen: the order's site in this community, else its first site."""
    for site_id in [order.pickup_site_id, *order.eligible_site_ids]:
        if site_id in community_sites:
            return site_id
    return community_sites[0] if community_sites and not order.eligible_site_ids else None


def resident_state(r: Resident, commitments: Sequence[Commitment], *, earned_fen: int = 0,
                   offered_minutes: float = 0.0) -> ResidentState:
    """A resident with their committed work: its minutes (rounded up) and how many lots it spans.

    `earned_fen` and `offered_minutes` are this pay period's income and offered time (fairness); the matcher
    passes them, the hard-rule checks of an accept or a dispatch do not need them.
    """
    return ResidentState(
        resident_id=r.id, community_id=r.community_id, skills={k: int(v) for k, v in r.skills.items()},
        work_mode=r.work_mode, reachable_site_ids=frozenset(r.reachable_site_ids),  # type: ignore[arg-type]
        weekly_availability=tuple(tuple(slot) for slot in r.availability),  # type: ignore[misc]
        pieces_per_hour={k: float(v) for k, v in r.pieces_per_hour.items()},
        pass_rate=(r.pieces_passed / r.pieces_inspected) if r.pieces_inspected else DEFAULT_PASS_RATE,
        committed_minutes=math.ceil(committed_minutes(commitments) - 1e-9),
        open_lots=len(commitments), max_open_lots=r.max_open_lots,
        earned_this_period_fen=earned_fen, priority_group=r.priority_group, travel_minutes={},
        offered_minutes_this_period=offered_minutes, active=r.active)


def offered_this_period(r: Resident, period: PayPeriod, now: datetime) -> float:
    """Minutes of her weekly hours from the period's start (or her registration, if later) until now."""
    since = max(period.starts_at, r.registered_at)
    weekly = tuple(tuple(slot) for slot in r.availability)
    return offered_minutes(weekly, since=since, until=now, tz=TZ) if now > since else 0.0  # type: ignore[arg-type]


def match_policy(session: Session, community_id: str) -> MatchPolicy:
    """The community's matching policy: its own fairness weight (Community.match_fairness_weight), else defaults."""
    community = session.get(Community, community_id)
    return MatchPolicy(fairness_weight=community.match_fairness_weight) if community else MatchPolicy()


def site_states(session: Session, community_id: str) -> list[SiteState]:
    """Free seats per micro-factory: seats minus lots offered or worked on-site there."""
    busy: Mapping[str | None, int] = dict(session.exec(select(Lot.site_id, func.count()).where(
        Lot.community_id == community_id, Lot.mode == "onsite",
        col(Lot.status).in_(SEATED)).group_by(Lot.site_id)).all())
    return [SiteState(site_id=s.id, seats_free=max(0, s.seats - int(busy.get(s.id, 0))))
            for s in session.exec(select(Site).where(Site.community_id == community_id))]
