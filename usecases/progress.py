"""How an order moves along its lifecycle (domain/lifecycle/order.py) as its lots do, and its due date passes.

Every change of an order's status goes through `move_order`, which records OrderStatusChanged; an order
ends fulfilled (all lots done), cancelled (usecases/orders.py) or expired (`expire_orders`, on the worker's
timer), and what happens to its lots then is `close_unstarted_lots`.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import func
from sqlmodel import Session, col, select

from domain.lifecycle import lot as lot_life
from domain.lifecycle import offer as offer_life
from domain.lifecycle import order as order_life
from schemas.envelope import Event
from schemas.events.offers import OfferWithdrawn
from schemas.events.orders import OrderStatusChanged
from store.outbox import audit
from store.tables import Lot, Offer, Order
from usecases.context import Context


def move_order(session: Session, order: Order, status: order_life.OrderStatus, ctx: Context) -> list[Event]:
    """Give the order its new status; OrderStatusChanged if it changed, nothing if it did not."""
    if order.status == status:
        return []
    order.status = status
    session.add(order)
    return [OrderStatusChanged(**ctx.envelope(order.eligible_community_ids[0]), order_id=order.id,
                               status=status.value)]  # type: ignore[arg-type]  # the schema's Literal of these


def settle_order(session: Session, order_id: str, ctx: Context) -> list[Event]:
    """After an inspection: the order is fulfilled once all its lots are done (or back in progress)."""
    order = session.get(Order, order_id, with_for_update=True)
    assert order is not None
    session.flush()  # the lot just inspected counts with its new status
    lots, done = session.exec(select(func.count(), func.count().filter(col(Lot.status) == lot_life.LotStatus.DONE))
                              .where(Lot.order_id == order_id)).one()
    progress = order_life.OrderProgress(lots=int(lots), lots_done=int(done or 0))
    return move_order(session, order, order_life.settle(order.status, progress), ctx)


def close_unstarted_lots(session: Session, order: Order, *, because: Literal["cancelled", "expired"], actor: str,
                         reason: str, ctx: Context) -> list[Event]:
    """Lots of an ended order with no materials out close; their live offers are withdrawn, holders told.

    Lots with materials out go on, so their pieces are still handed in, inspected and paid.
    """
    events: list[Event] = []
    lots = session.exec(select(Lot).where(Lot.order_id == order.id, col(Lot.status).in_(lot_life.UNFINISHED),
                                          Lot.pieces_issued == 0).with_for_update()).all()
    for lot in lots:
        for offer in session.exec(select(Offer).where(Offer.lot_id == lot.id,
                                                      col(Offer.status).in_(offer_life.LIVE_OFFER))):
            offer.status = offer_life.withdraw(offer.status)
            offer.decided_at, offer.decided_by = ctx.now, actor
            session.add(offer)
            events.append(OfferWithdrawn(**ctx.envelope(lot.community_id), offer_id=offer.id, lot_id=lot.id,
                                         resident_id=offer.resident_id, actor=actor, reason=reason))
        lot.status = lot_life.close(lot.status, pieces_issued=lot.pieces_issued, because=because)
        lot.resident_id = None
        session.add(lot)
    return events


def expire_orders(session: Session, *, ctx: Context, limit: int = 200) -> list[Event]:
    """Orders past their due date with work unfinished expire; their unstarted lots expire with them."""
    due = session.exec(select(Order).where(col(Order.status).in_(order_life.LIVE_ORDER), Order.due_at <= ctx.now)
                       .order_by(col(Order.due_at)).limit(limit).with_for_update()).all()
    events: list[Event] = []
    for order in due:
        events += move_order(session, order, order_life.expire(order.status, due_at=order.due_at, now=ctx.now), ctx)
        events += close_unstarted_lots(session, order, because="expired", actor="system",
                                       reason=f"订单已过交期 / the order passed its due date {order.due_at:%Y-%m-%d}",
                                       ctx=ctx)
        audit(session, at=ctx.now, actor="system", role="system", action="order.expire", subject=order.id)
    return events
