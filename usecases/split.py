"""Splitting orders into lots (批次): OrderPosted → Lot rows and LotCreated events."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from domain.lifecycle.lot import LotStatus
from domain.lifecycle.offer import OfferStatus
from domain.lifecycle.order import takes_work
from domain.orders import lot_codes
from domain.orders.splitting import LotSizePolicy, split_into_lots
from schemas.envelope import Event
from schemas.events.offers import OfferMade
from schemas.events.orders import LotCreated, OrderPosted, OrderRateChanged
from store.tables import Lot, Offer, Order, Product
from usecases import notify
from usecases.context import Context


def apply(session: Session, events: Sequence[Event], ctx: Context) -> list[Event]:
    """The splitter's handler: one transaction for the batch, events out through the outbox."""
    out: list[Event] = []
    for event in events:
        if isinstance(event, OrderPosted):
            out += split_order(session, event, ctx)
            notify.flag_below_minimum_wage(session, event, ctx)
        elif isinstance(event, OrderRateChanged):
            out += reprice_pending_offers(session, event, ctx)
    return out


def split_order(session: Session, event: OrderPosted, ctx: Context) -> list[Event]:
    """Create the order's lots, spread round-robin over its eligible communities."""
    order = session.get(Order, event.order_id)
    product = session.get(Product, event.product_code)
    if order is None or product is None:
        raise LookupError(f"order {event.order_id} or product {event.product_code} not in the database")
    if session.exec(select(Lot.id).where(Lot.order_id == order.id)).first():
        return []  # already split (the applied-event record makes this rare; the lot ids make it harmless)
    if not takes_work(order.status):
        return []  # cancelled or expired before it was split (a worker that was down): no lots to match
    plans = split_into_lots(order_id=order.id, quantity=order.quantity,
                            policy=LotSizePolicy(target=product.lot_size, minimum=product.min_lot_size))
    communities = order.eligible_community_ids
    codes = _short_codes(session, product, ctx, len(plans))
    out: list[Event] = []
    for i, plan in enumerate(plans):
        community = communities[i % len(communities)]
        session.add(Lot(id=plan.lot_id, order_id=order.id, community_id=community, lot_no=plan.lot_no,
                        short_code=codes[i], pieces=plan.pieces, due_at=order.due_at))
        out.append(LotCreated(**ctx.envelope(community), lot_id=plan.lot_id, order_id=order.id,
                              lot_no=plan.lot_no, pieces=plan.pieces, due_at=order.due_at))
    return out


def _short_codes(session: Session, product: Product, ctx: Context, count: int) -> list[str]:
    """批次简码 for `count` new lots of `product` made now: the day's sequence (Asia/Shanghai) continues after the
    codes already given under the same prefix (any product whose short name is the same shares the sequence)."""
    prefix = lot_codes.code_prefix(product_name=product.name, product_code=product.code, made_at=ctx.now)
    existing = session.exec(select(Lot.short_code).where(col(Lot.short_code).startswith(prefix + "-"))).all()
    return lot_codes.short_codes(product_name=product.name, product_code=product.code, made_at=ctx.now,
                                 existing=[c for c in existing if c], count=count)


def reprice_pending_offers(session: Session, event: OrderRateChanged, ctx: Context) -> list[Event]:
    """Offers not yet accepted show the new rate: withdrawn and re-made so the resident sees it first."""
    out: list[Event] = []
    lots = session.exec(select(Lot).where(Lot.order_id == event.order_id, Lot.status == LotStatus.OFFERED)).all()
    for lot in lots:
        for offer in session.exec(select(Offer).where(Offer.lot_id == lot.id, Offer.status == OfferStatus.PENDING)):
            offer.piece_rate_centifen = event.piece_rate_centifen
            session.add(offer)
            out.append(OfferMade(**ctx.envelope(lot.community_id), offer_id=offer.id, lot_id=lot.id,
                                 resident_id=offer.resident_id, pieces=offer.pieces,
                                 piece_rate_centifen=event.piece_rate_centifen, expires_at=offer.expires_at,
                                 explanation_zh=offer.explanation_zh, explanation_en=offer.explanation_en,
                                 dispatched_by=offer.dispatched_by))
    return out
