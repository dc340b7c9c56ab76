"""Orders (订单) and lots (批次): post, re-price, cancel, follow progress, print labels."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from domain.lifecycle.lot import LotStatus
from domain.lifecycle.order import OrderStatus
from domain.orders.labels import lot_check_code, lot_label_svg
from schemas import commands as c
from services.api.deps import ActorDep, EngineDep, SettingsDep, read
from services.api.paging import Page, PageDep, decode_cursor, paged
from store.db import reading
from usecases import hard_rules
from usecases import offers as offer_uc
from usecases import orders as uc
from usecases.errors import NotFound
from usecases.execute import execute, execute_keyed
from usecases.queries import lot_scan, reads
from usecases.queries.views import LotView, OrderView

router = APIRouter(prefix="/api/v1", tags=["orders"])
MAX_PAGE = 500


@router.post("/orders", status_code=201)
def post_order(body: c.PostOrder, actor: ActorDep, engine: EngineDep, settings: SettingsDep) -> dict[str, object]:
    """Post a piecework order; it is split into lots and matched by the stream worker."""
    order, _ = execute_keyed(engine, settings, uc.post_order, body, actor=actor)
    return {"order_id": order.id, "status": order.status, "below_minimum_wage": order.below_minimum_wage}


@router.get("/orders", response_model=list[OrderView])
async def list_orders(actor: ActorDep, engine: EngineDep, page: PageDep, request: Request,
                      response: Response) -> list[OrderView]:
    """Your orders a page at a time (`limit`, `cursor`; X-Has-More and X-Next-Cursor say if there is more)."""
    rows = await read(engine, reads.orders, actor, limit=page.limit + 1, offset=page.offset)
    return paged(rows, page, request, response)


@router.get("/orders/{order_id}", response_model=OrderView)
def get_order(order_id: str, actor: ActorDep, engine: EngineDep) -> OrderView:
    with reading(engine) as session:
        found = reads.orders(session, actor, order_id=order_id)
    if not found:
        raise NotFound("order_id", f"no such order: {order_id}")
    return found[0]


@router.post("/orders/{order_id}/rate", status_code=200)
def change_rate(order_id: str, body: c.ChangeRate, actor: ActorDep, engine: EngineDep,
                settings: SettingsDep) -> dict[str, str]:
    execute(engine, settings, uc.change_rate, order_id, body, actor=actor)
    return {"order_id": order_id}


@router.post("/orders/{order_id}/cancel", status_code=200)
def cancel_order(order_id: str, body: c.CancelOrder, actor: ActorDep, engine: EngineDep,
                 settings: SettingsDep) -> dict[str, str]:
    execute(engine, settings, uc.cancel_order, order_id, body, actor=actor)
    return {"order_id": order_id, "status": OrderStatus.CANCELLED}


@router.get("/lots", response_model=list[LotView])
async def list_lots(
        actor: ActorDep, engine: EngineDep, request: Request, response: Response,
        community_id: str | None = None, status: str | None = None, resident_id: str | None = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Lots per page (by due date).")] = MAX_PAGE,
        cursor: Annotated[str | None, Query(max_length=64, description="X-Next-Cursor of the last page.")] = None,
        offset: Annotated[int, Query(ge=0, le=10_000_000, description="Lots to skip (or use cursor).")] = 0,
) -> list[LotView]:
    """Lots the caller may see, filtered in the database, a page at a time (`limit` from `cursor` or `offset`);
    X-Has-More and X-Next-Cursor say whether there is another page."""
    page = Page(limit=limit, offset=decode_cursor(cursor) if cursor else offset)
    rows = await read(engine, reads.lots, actor, community_id=community_id, status=status, resident_id=resident_id,
                      limit=limit + 1, offset=page.offset)
    return paged(rows, page, request, response)


@router.get("/lots/scan", response_model=LotView)
def scan_lot(code: str, actor: ActorDep, engine: EngineDep, settings: SettingsDep) -> LotView:
    """Open a lot from its scanned label (QR payload 'MF1:<lot_id>:<code>'); declared before /lots/{lot_id}."""
    with reading(engine) as session:
        return lot_scan.scan_lot(session, actor, code, secret=settings.secret_key)


@router.get("/lots/{lot_id}", response_model=LotView)
def get_lot(lot_id: str, actor: ActorDep, engine: EngineDep) -> LotView:
    with reading(engine) as session:
        found = reads.lots(session, actor, lot_id=lot_id)
    if not found:
        raise NotFound("lot_id", f"no such lot: {lot_id}")
    return found[0]


@router.get("/lots/{lot_id}/label.svg", response_class=Response)
def lot_label(lot_id: str, actor: ActorDep, engine: EngineDep, settings: SettingsDep) -> Response:
    """A printable label with the lot's QR code (lot id and check code)."""
    with reading(engine) as session:
        found = reads.lots(session, actor, lot_id=lot_id)
        if not found:
            raise NotFound("lot_id", f"no such lot: {lot_id}")
        lot = found[0]
    svg = lot_label_svg(lot_id=lot.id, code=lot_check_code(lot.id, settings.secret_key), short_code=lot.short_code,
                        product_name=lot.product_name, pieces=lot.pieces, due_at=lot.due_at)
    return Response(svg, media_type="image/svg+xml")


@router.get("/lots/{lot_id}/dispatch-check")
def dispatch_check(lot_id: str, resident_id: str, actor: ActorDep, engine: EngineDep) -> dict[str, object]:
    """The hard rules a dispatch of this lot to this resident would break (each to override by name, with a reason)."""
    with reading(engine) as session:
        broken = hard_rules.preview(session, lot_id, resident_id, actor=actor, now=datetime.now(UTC))
    return {"lot_id": lot_id, "resident_id": resident_id, "broken": broken}


@router.post("/lots/{lot_id}/dispatch", status_code=201)
def dispatch(lot_id: str, body: c.DispatchLot, actor: ActorDep, engine: EngineDep,
             settings: SettingsDep) -> dict[str, str]:
    """A coordinator offers a lot to a chosen resident by hand."""
    events = execute(engine, settings, offer_uc.dispatch_lot, lot_id, body, actor=actor)
    return {"lot_id": lot_id, "offer_id": events[-1].offer_id}


@router.post("/lots/{lot_id}/withdraw", status_code=200)
def withdraw(lot_id: str, body: c.WithdrawOffer, actor: ActorDep, engine: EngineDep,
             settings: SettingsDep) -> dict[str, str]:
    """A coordinator takes a lot back; it returns to matching."""
    execute(engine, settings, offer_uc.withdraw_lot, lot_id, body, actor=actor)
    return {"lot_id": lot_id, "status": LotStatus.OPEN}
