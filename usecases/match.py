"""Matching a community's open lots to its residents: DB rows in, offers and escalations out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from domain.matching.explain import explain
from domain.matching.model import LotNeed, MatchPolicy, ResidentState, SiteState
from domain.matching.solver import match
from domain.pay.periods import PeriodPolicy, period_for
from schemas.envelope import Event
from schemas.events.orders import LotEscalated
from store.tables import LedgerEntry, Lot, Offer, Order, Product, Resident, Site
from usecases.context import Context
from usecases.offers import make_offer

MATCHABLE = ("open", "escalated")
HOLDING = ("accepted", "in_work")


def apply(session: Session, events: Sequence[Event], ctx: Context) -> list[Event]:
    """The matcher's handler: one matching batch for each community the events touch (their keys)."""
    return [out for community in sorted({e.key for e in events}) for out in match_community(session, community, ctx)]


def match_community(session: Session, community_id: str, ctx: Context) -> list[Event]:
    """Run one matching batch for a community and record its offers and escalations."""
    lots = session.exec(select(Lot).where(Lot.community_id == community_id, col(Lot.status).in_(MATCHABLE),
                                          Lot.due_at > ctx.now).with_for_update()).all()
    if not lots:
        return []
    orders = {o.id: o for o in session.exec(select(Order).where(col(Order.id).in_({lot.order_id for lot in lots})))}
    products = {p.code: p for p in session.exec(select(Product).where(
        col(Product.code).in_({o.product_code for o in orders.values()})))}
    live = [lot for lot in lots if orders[lot.order_id].status in ("open", "in_progress")]
    sites = _sites(session, community_id)
    site_ids = [s.site_id for s in sites]
    needs = [_need(lot, orders[lot.order_id], products[orders[lot.order_id].product_code], site_ids)
             for lot in live]
    residents = _residents(session, community_id, ctx)
    result = match(lots=needs, residents=residents, sites=sites, now=ctx.now, policy=MatchPolicy())
    by_id = {lot.id: lot for lot in live}
    out: list[Event] = []
    for proposal in result.proposals:
        lot = by_id[proposal.lot_id]
        lot.site_id, lot.mode = proposal.site_id, proposal.mode
        out.append(make_offer(
            session, lot, proposal.resident_id, orders[lot.order_id].piece_rate_fen, ctx=ctx,
            explanation=(explain(proposal, "zh"), explain(proposal, "en")),
            reasons=[{"code": r.code, **dict(r.params)} for r in proposal.reasons],
            dispatched_by="coordinator" if lot.pinned_resident_id else None))
    for miss in result.unmatched:
        lot = by_id[miss.lot_id]
        if lot.escalation != miss.reason_code:  # tell the coordinator once per reason, not every batch
            lot.status, lot.escalation = "escalated", miss.reason_code
            session.add(lot)
            out.append(LotEscalated(**ctx.envelope(community_id), lot_id=lot.id, reason_code=miss.reason_code,
                                    detail=miss.detail))
    return out


def _need(lot: Lot, order: Order, product: Product, community_sites: list[str]) -> LotNeed:
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


def _residents(session: Session, community_id: str, ctx: Context) -> list[ResidentState]:
    """Residents with what they hold now, and what they earned this pay period (fairness)."""
    rows = session.exec(select(Resident).where(Resident.community_id == community_id,
                                               Resident.active == True)).all()  # noqa: E712
    held: dict[str, list[tuple[Lot, float]]] = defaultdict(list)
    for lot, minutes in session.exec(
            select(Lot, Product.standard_minutes_per_piece).join(Order, col(Order.id) == Lot.order_id)
            .join(Product, col(Product.code) == Order.product_code)
            .where(Lot.community_id == community_id, col(Lot.status).in_(HOLDING))):
        held[lot.resident_id or ""].append((lot, minutes))
    pending = dict(session.exec(select(Offer.resident_id, func.count()).where(
        Offer.community_id == community_id, Offer.status == "pending").group_by(Offer.resident_id)).all())
    period = period_for(ctx.now, PeriodPolicy())
    earned = dict(session.exec(select(LedgerEntry.resident_id, func.sum(LedgerEntry.amount_fen)).where(
        LedgerEntry.community_id == community_id, LedgerEntry.period_id == period.period_id)
        .group_by(LedgerEntry.resident_id)).all())
    return [ResidentState(
        resident_id=r.id, community_id=r.community_id, skills={k: int(v) for k, v in r.skills.items()},
        work_mode=r.work_mode, reachable_site_ids=frozenset(r.reachable_site_ids),  # type: ignore[arg-type]
        weekly_availability=tuple(tuple(slot) for slot in r.availability),  # type: ignore[misc]
        pieces_per_hour={k: float(v) for k, v in r.pieces_per_hour.items()},
        pass_rate=(r.pieces_passed / r.pieces_inspected) if r.pieces_inspected else 0.95,
        committed_minutes=_committed_minutes(held[r.id]),
        open_lots=len(held[r.id]) + int(pending.get(r.id, 0)), max_open_lots=r.max_open_lots,
        earned_this_period_fen=int(earned.get(r.id) or 0), priority_group=r.priority_group,
        travel_minutes={}) for r in rows]


def _committed_minutes(lots: list[tuple[Lot, float]]) -> int:
    """Standard minutes of the pieces a resident still has to make on lots already accepted."""
    return int(sum(minutes * max(0, lot.pieces - lot.pieces_passed - lot.pieces_rejected)
                   for lot, minutes in lots))


def _sites(session: Session, community_id: str) -> list[SiteState]:
    """Free seats per micro-factory: seats minus lots being worked on-site there."""
    busy = dict(session.exec(select(Lot.site_id, func.count()).where(
        Lot.community_id == community_id, Lot.mode == "onsite",
        col(Lot.status).in_(("offered", *HOLDING))).group_by(Lot.site_id)).all())
    return [SiteState(site_id=s.id, seats_free=max(0, s.seats - int(busy.get(s.id, 0))))
            for s in session.exec(select(Site).where(Site.community_id == community_id))]
