"""What the matching rules read from the database: lots as LotNeed, residents as ResidentState, free seats.

The matcher, accepting an offer and a coordinator's dispatch all build their inputs here, so the rules see
the same resident (committed work from usecases.workload, pending offers included) whoever asks.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from domain.lifecycle.lot import SEATED
from domain.matching.model import DEFAULT_PASS_RATE, LotNeed, ResidentState, SiteState
from domain.workload import Commitment, committed_minutes
from store.tables import Lot, Order, Product, Resident, Site


def lot_need(lot: Lot, order: Order, product: Product, community_sites: list[str]) -> LotNeed:
    """A lot as the matching rules see it: skill and level, pieces, due date, where it is worked."""
    return LotNeed(
        lot_id=lot.id, order_id=lot.order_id, community_id=lot.community_id, skill=product.skill,
        min_level=order.min_level, pieces=lot.pieces, due_at=lot.due_at,
        take_home_allowed=order.take_home_allowed, site_id=work_site(order, community_sites),
        standard_minutes_per_piece=product.standard_minutes_per_piece, piece_rate_fen=order.piece_rate_fen,
        pinned_resident_id=lot.pinned_resident_id, excluded_resident_ids=frozenset(lot.excluded_resident_ids))


def work_site(order: Order, community_sites: list[str]) -> str | None:
    """Where a lot's on-site work and pick-up happen: the order's site in this community, else its first site."""
    for site_id in [order.pickup_site_id, *order.eligible_site_ids]:
        if site_id in community_sites:
            return site_id
    return community_sites[0] if community_sites and not order.eligible_site_ids else None


def resident_state(r: Resident, commitments: Sequence[Commitment], *, earned_fen: int = 0) -> ResidentState:
    """A resident with their committed work: its minutes (rounded up) and how many lots it spans."""
    return ResidentState(
        resident_id=r.id, community_id=r.community_id, skills={k: int(v) for k, v in r.skills.items()},
        work_mode=r.work_mode, reachable_site_ids=frozenset(r.reachable_site_ids),  # type: ignore[arg-type]
        weekly_availability=tuple(tuple(slot) for slot in r.availability),  # type: ignore[misc]
        pieces_per_hour={k: float(v) for k, v in r.pieces_per_hour.items()},
        pass_rate=(r.pieces_passed / r.pieces_inspected) if r.pieces_inspected else DEFAULT_PASS_RATE,
        committed_minutes=math.ceil(committed_minutes(commitments) - 1e-9),
        open_lots=len(commitments), max_open_lots=r.max_open_lots,
        earned_this_period_fen=earned_fen, priority_group=r.priority_group, travel_minutes={})


def site_states(session: Session, community_id: str) -> list[SiteState]:
    """Free seats per micro-factory: seats minus lots offered or worked on-site there."""
    busy: Mapping[str | None, int] = dict(session.exec(select(Lot.site_id, func.count()).where(
        Lot.community_id == community_id, Lot.mode == "onsite",
        col(Lot.status).in_(SEATED)).group_by(Lot.site_id)).all())
    return [SiteState(site_id=s.id, seats_free=max(0, s.seats - int(busy.get(s.id, 0))))
            for s in session.exec(select(Site).where(Site.community_id == community_id))]
