"""When each fulfilled order was delivered (交付): the time its last standing inspection judged its last pieces,
and whether that was by its due date (domain.orders.delivery), for the API's order view and the enterprise's page
alike."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from domain.lifecycle.order import OrderStatus
from domain.orders.delivery import delivery
from store.tables import Inspection, Lot
from usecases.queries.views import OrderView


def with_delivery(session: Session, orders: list[OrderView]) -> list[OrderView]:
    """`orders` with delivered_at and delivered_on_time filled in for the fulfilled ones (one statement)."""
    done = [o.id for o in orders if o.status == OrderStatus.FULFILLED]
    if not done:
        return orders
    last: dict[str, datetime] = dict(session.exec(  # type: ignore[arg-type]
        select(Lot.order_id, func.max(Inspection.inspected_at)).join(Lot, col(Lot.id) == Inspection.lot_id)
        .where(col(Lot.order_id).in_(done), Inspection.superseded == False)  # noqa: E712
        .group_by(col(Lot.order_id))).all())
    out = []
    for o in orders:
        at = last.get(o.id)
        if at is None:
            out.append(o)
            continue
        d = delivery(status=o.status, quantity=o.quantity, pieces_passed=o.pieces_passed, due_at=o.due_at,
                     posted_at=at, delivered_at=at, now=at)
        out.append(o.model_copy(update={"delivered_at": d.delivered_at, "delivered_on_time": d.on_time}))
    return out
