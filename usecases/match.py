"""Matching a community's open lots to its residents: DB rows in, offers and escalations out."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from domain.lifecycle import lot as lot_life
from domain.lifecycle import order as order_life
from domain.matching.explain import explain
from domain.matching.model import ResidentState
from domain.matching.rules import minutes_needed
from domain.matching.solver import match
from domain.pay.periods import period_for
from schemas.envelope import Event
from schemas.events.orders import LotEscalated
from store.tables import LedgerPeriod, Lot, Order, Product, Resident
from usecases.context import Context
from usecases.match_inputs import lot_need, match_policy, offered_this_period, resident_state, site_states
from usecases.offers import make_offer
from usecases.queries.period_work import community_policy
from usecases.workload import commitments


def apply(session: Session, events: Sequence[Event], ctx: Context) -> list[Event]:
    """The matcher's handler: one matching batch for each community the events touch (their keys)."""
    return [out for community in sorted({e.key for e in events}) for out in match_community(session, community, ctx)]


def match_community(session: Session, community_id: str, ctx: Context) -> list[Event]:
    """Run one matching batch for a community and record its offers and escalations."""
    lots = session.exec(select(Lot).where(Lot.community_id == community_id, col(Lot.status).in_(lot_life.MATCHABLE),
                                          Lot.due_at > ctx.now).with_for_update()).all()
    if not lots:
        return []
    orders = {o.id: o for o in session.exec(select(Order).where(col(Order.id).in_({lot.order_id for lot in lots})))}
    products = {p.code: p for p in session.exec(select(Product).where(
        col(Product.code).in_({o.product_code for o in orders.values()})))}
    live = [lot for lot in lots if order_life.takes_work(orders[lot.order_id].status)]
    sites = site_states(session, community_id)
    site_ids = [s.site_id for s in sites]
    needs = [lot_need(lot, orders[lot.order_id], products[orders[lot.order_id].product_code], site_ids)
             for lot in live]
    residents = _residents(session, community_id, ctx)
    result = match(lots=needs, residents=residents, sites=sites, now=ctx.now,
                   policy=match_policy(session, community_id))
    by_id = {lot.id: lot for lot in live}
    need_of, resident_of = {n.lot_id: n for n in needs}, {r.resident_id: r for r in residents}
    out: list[Event] = []
    for proposal in result.proposals:
        lot = by_id[proposal.lot_id]
        lot.site_id, lot.mode = proposal.site_id, proposal.mode
        out.append(make_offer(
            session, lot, proposal.resident_id, orders[lot.order_id].piece_rate_centifen, ctx=ctx,
            explanation=(explain(proposal, "zh"), explain(proposal, "en")),
            reasons=[{"code": r.code, **dict(r.params)} for r in proposal.reasons],
            dispatched_by="coordinator" if lot.pinned_resident_id else None,
            work_minutes=minutes_needed(need_of[lot.id], resident_of[proposal.resident_id])))
    for miss in result.unmatched:
        lot = by_id[miss.lot_id]
        if lot.escalation != miss.reason_code:  # tell the coordinator once per reason, not every batch
            lot.status, lot.escalation = lot_life.escalate(lot.status), miss.reason_code
            session.add(lot)
            out.append(LotEscalated(**ctx.envelope(community_id), lot_id=lot.id, reason_code=miss.reason_code,
                                    detail=miss.detail))
    return out


def _residents(session: Session, community_id: str, ctx: Context) -> list[ResidentState]:
    """Residents with their committed work (pending offers included), and what they earned and the hours they
    offered this period (fairness: income per offered hour against neighbours with the same skill)."""
    # Locked after the lots (the order every use case locks in), so an accept or a dispatch for one of them
    # cannot judge her plate while this round adds to it (PostgreSQL; SQLite serialises writers anyway).
    rows = session.exec(select(Resident).where(Resident.community_id == community_id,
                                               Resident.active == True).with_for_update()).all()  # noqa: E712
    committed = commitments(session, community_id=community_id)
    period = period_for(ctx.now, community_policy(session, community_id))  # the period its residents are paid by
    # Its ledger lines summed per resident: the per-period read model (issue 19), every line as posted to the period.
    earned = dict(session.exec(select(LedgerPeriod.resident_id, LedgerPeriod.amount_fen).where(
        LedgerPeriod.community_id == community_id, LedgerPeriod.period_id == period.period_id)).all())
    return [resident_state(r, committed.get(r.id, []), earned_fen=int(earned.get(r.id) or 0),
                           offered_minutes=offered_this_period(r, period, ctx.now)) for r in rows]
