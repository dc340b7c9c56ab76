"""Points (积分) and the points shop (积分超市): balances, rules, items, redemptions and the monthly 公示."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request, Response

from schemas import points as p
from services.api.deps import ActorDep, EngineDep, SettingsDep
from services.api.downloads import csv_download, xlsx_download
from services.api.paging import PageDep, paged
from store.db import reading
from usecases import shop as uc
from usecases.execute import execute, execute_keyed
from usecases.queries import points as reads
from usecases.queries.points import PointRuleView, PointsView, PublicityView, ShopItemView

router = APIRouter(prefix="/api/v1", tags=["points"])


@router.get("/points", response_model=PointsView)
def my_points(actor: ActorDep, engine: EngineDep, page: PageDep, request: Request, response: Response,
              resident_id: str | None = None) -> PointsView:
    """A resident's own points (balance over every line, and a page of the lines newest first: `limit`, `cursor`;
    X-Has-More and X-Next-Cursor say if there are more lines); a coordinator names a resident of their
    communities."""
    with reading(engine) as session:
        view = reads.points_of(session, actor, resident_id, limit=page.limit + 1, offset=page.offset)
    return view.model_copy(update={"lines": paged(view.lines, page, request, response)})


@router.get("/communities/{community_id}/points/publicity", response_model=PublicityView)
def publicity(community_id: str, month: str, actor: ActorDep, engine: EngineDep,
              format: Literal["json", "csv", "xlsx"] = "json") -> Any:
    """The monthly 公示 (?month=YYYY-MM): points earned and redeemed per person, names masked (张*梅);
    ?format=csv or ?format=xlsx to print."""
    with reading(engine) as session:
        view = reads.publicity(session, actor, community_id, month)
    filename = f"points-{community_id}-{month}.{format}"
    if format == "csv":
        return csv_download(reads.publicity_csv(view), filename)
    if format == "xlsx":
        return xlsx_download(reads.publicity_xlsx(view), filename)
    return view


@router.get("/communities/{community_id}/points/rules", response_model=list[PointRuleView])
def rules(community_id: str, actor: ActorDep, engine: EngineDep, page: PageDep, request: Request,
          response: Response) -> list[PointRuleView]:
    """A community's point rule versions, oldest first, a page at a time (`limit`, `cursor`)."""
    with reading(engine) as session:
        rows = reads.point_rules(session, actor, community_id, limit=page.limit + 1, offset=page.offset)
    return paged(rows, page, request, response)


@router.post("/points/rules", status_code=201)
def set_rule(body: p.SetPointRule, actor: ActorDep, engine: EngineDep, settings: SettingsDep) -> dict[str, Any]:
    """A new version of a community's point rule (coordinator); it scores work inspected from its effective time."""
    row, _ = execute(engine, settings, uc.set_point_rule, body, actor=actor)
    return {"community_id": row.community_id, "version": row.version, "effective_at": row.effective_at}


@router.get("/communities/{community_id}/shop/items", response_model=list[ShopItemView])
def items(community_id: str, actor: ActorDep, engine: EngineDep, page: PageDep, request: Request,
          response: Response) -> list[ShopItemView]:
    """What a community's points shop offers, with prices in points and stock, a page at a time (`limit`,
    `cursor`)."""
    with reading(engine) as session:
        rows = reads.shop_items(session, actor, community_id, limit=page.limit + 1, offset=page.offset)
    return paged(rows, page, request, response)


@router.post("/shop/items", status_code=201)
def add_item(body: p.AddShopItem, actor: ActorDep, engine: EngineDep, settings: SettingsDep) -> dict[str, Any]:
    """Put an item in the shop (coordinator)."""
    item, _ = execute(engine, settings, uc.add_shop_item, body, actor=actor)
    return {"id": item.id, "name": item.name, "price_points": item.price_points, "stock": item.stock}


@router.post("/shop/redemptions", status_code=201)
def redeem(body: p.RedeemPoints, actor: ActorDep, engine: EngineDep, settings: SettingsDep) -> dict[str, Any]:
    """Take items for points: a resident from their own balance, or a coordinator at the counter (代办, audited).

    409 naming `quantity` when the stock is short, `points` when the balance is.
    """
    done, _ = execute_keyed(engine, settings, uc.redeem, body, actor=actor)
    return {"id": done.id, "resident_id": done.resident_id, "item_id": done.item_id, "quantity": done.quantity,
            "points": done.points, "on_behalf": done.on_behalf}
