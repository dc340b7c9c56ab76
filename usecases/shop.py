"""Points use cases: the community's point rule (积分规则), its shop's items, and redemptions (积分兑换).

A redemption checks stock and balance in one transaction: the item's row and then the resident's row are
locked (SELECT … FOR UPDATE on PostgreSQL, always in that order, so two redemptions never deadlock; SQLite
serialises writers with BEGIN IMMEDIATE), so two redemptions of the last item cannot both succeed and a balance
never goes below zero. Points are never money: nothing here touches the money ledger.
"""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from domain.points import PointRule, ShopRefusal, check_redemption, month_of
from schemas.envelope import Event
from schemas.points import AddShopItem, RedeemPoints, SetPointRule
from store.outbox import audit
from store.tables import Community, PointEntry, PointRuleVersion, Redemption, Resident, ShopItem
from usecases.actors import Actor
from usecases.context import Context
from usecases.errors import Conflict, Forbidden, NotFound, Rejected
from usecases.receipts import keyed


def set_point_rule(session: Session, cmd: SetPointRule, *, actor: Actor,
                   ctx: Context) -> tuple[PointRuleVersion, list[Event]]:
    """Append a version of a community's point rule; it never takes effect in the past (scored work stays)."""
    actor.require("coordinator")
    _community(session, actor, cmd.community_id)
    effective_at = cmd.effective_at or ctx.now
    if effective_at < ctx.now:
        raise Rejected("effective_at", f"生效时间不能早于现在 (a rule cannot take effect in the past: "
                                       f"{effective_at.isoformat()})")
    latest = session.exec(select(PointRuleVersion).where(PointRuleVersion.community_id == cmd.community_id)
                          .order_by(col(PointRuleVersion.version).desc()).with_for_update()).first()
    if latest is not None and effective_at < latest.effective_at:
        raise Rejected("effective_at", f"生效时间早于第 {latest.version} 版 (before version {latest.version}, "
                                       f"{latest.effective_at.isoformat()})")
    try:
        PointRule(version=1, effective_at=effective_at, fen_per_point=cmd.fen_per_point,
                  passing_rate_bps=cmd.passing_rate_bps, high_pass_rate_bps=cmd.high_pass_rate_bps,
                  high_pass_bonus_bps=cmd.high_pass_bonus_bps, monthly_cap=cmd.monthly_cap,
                  act_points_by_stars=_five(cmd.act_points_by_stars),
                  volunteer_points_per_hour=cmd.volunteer_points_per_hour,
                  service_monthly_cap=cmd.service_monthly_cap)
    except ValueError as exc:
        raise Rejected("rule", f"积分规则无效 (invalid rule): {exc}") from None
    row = PointRuleVersion(community_id=cmd.community_id, version=(latest.version if latest else 0) + 1,
                           fen_per_point=cmd.fen_per_point, passing_rate_bps=cmd.passing_rate_bps,
                           high_pass_rate_bps=cmd.high_pass_rate_bps, high_pass_bonus_bps=cmd.high_pass_bonus_bps,
                           monthly_cap=cmd.monthly_cap, act_points_by_stars=list(cmd.act_points_by_stars),
                           volunteer_points_per_hour=cmd.volunteer_points_per_hour,
                           service_monthly_cap=cmd.service_monthly_cap, reason=cmd.reason.strip(),
                           created_by=actor.username, effective_at=effective_at)
    session.add(row)
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="points.rule",
          subject=f"{cmd.community_id}:v{row.version}", reason=row.reason)
    return row, []


def add_shop_item(session: Session, cmd: AddShopItem, *, actor: Actor, ctx: Context) -> tuple[ShopItem, list[Event]]:
    """Put an item in a community's points shop with its price in points and its stock."""
    actor.require("coordinator")
    _community(session, actor, cmd.community_id)
    item = ShopItem(id=ctx.new_id("itm"), community_id=cmd.community_id, name=cmd.name.strip(),
                    price_points=cmd.price_points, stock=cmd.stock, created_at=ctx.now)
    session.add(item)
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="shop.item_added", subject=item.id,
          name=item.name, price_points=item.price_points, stock=item.stock)
    return item, []


@keyed(Redemption)
def redeem(session: Session, cmd: RedeemPoints, *, actor: Actor, ctx: Context) -> tuple[Redemption, list[Event]]:
    """Take items for points: stock and balance checked under lock; Conflict (409) naming the field if short."""
    actor.require("resident", "coordinator")
    resident_id = _redeemer(cmd, actor)
    item = session.get(ShopItem, cmd.item_id, with_for_update=True)  # first the item, then the resident: one order
    if item is None or not (actor.role == "resident" or actor.may_see_community(item.community_id)):
        raise NotFound("item_id", f"没有这件商品 (no such item): {cmd.item_id}")
    resident = session.get(Resident, resident_id, with_for_update=True)
    if resident is None:
        raise NotFound("resident_id", f"没有这位居民 (no such resident): {resident_id}")
    actor.require_resident(resident.id, resident.community_id)
    if item.community_id != resident.community_id:
        raise Rejected("item_id", "该商品不属于居民所在社区 (the item is in another community's shop)")
    try:
        cost = check_redemption(balance=balance_of(session, resident.id), stock=item.stock,
                                price_points=item.price_points, quantity=cmd.quantity, active=item.active)
    except ShopRefusal as refused:
        raise Conflict(refused.field, refused.reason) from None
    item.stock -= cmd.quantity
    session.add(item)
    on_behalf = actor.on_behalf(resident.id)
    redemption = Redemption(id=ctx.new_id("rdm"), community_id=item.community_id, resident_id=resident.id,
                            item_id=item.id, quantity=cmd.quantity, points=cost, actor=actor.username,
                            on_behalf=on_behalf, at=ctx.now)
    session.add(redemption)
    session.add(PointEntry(entry_key=f"pts:{redemption.id}:redemption", kind="redemption", resident_id=resident.id,
                           community_id=item.community_id, month=month_of(ctx.now), points=-cost,
                           redemption_id=redemption.id, posted_at=ctx.now))
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="points.redeem", subject=redemption.id,
          on_behalf_of=resident.id if on_behalf else None, item_id=item.id, quantity=cmd.quantity, points=cost)
    return redemption, []


def balance_of(session: Session, resident_id: str) -> int:
    """A resident's points balance: the sum of their points ledger lines."""
    return int(session.exec(select(func.coalesce(func.sum(PointEntry.points), 0))
                            .where(PointEntry.resident_id == resident_id)).one())


def _five(points: list[int]) -> tuple[int, int, int, int, int]:
    a, b, c, d, e = points  # the command's schema holds it to five
    return a, b, c, d, e


def _redeemer(cmd: RedeemPoints, actor: Actor) -> str:
    if actor.role == "resident":
        if cmd.resident_id not in (None, actor.resident_id):
            raise Forbidden("resident_id", "只能用自己的积分兑换 (you may only spend your own points)")
        assert actor.resident_id is not None
        return actor.resident_id
    if not cmd.resident_id:
        raise Rejected("resident_id", "代办兑换须写明居民 (say for which resident you redeem)")
    return cmd.resident_id


def _community(session: Session, actor: Actor, community_id: str) -> Community:
    actor.require_community(community_id)
    community = session.get(Community, community_id)
    if community is None:
        raise NotFound("community_id", f"没有这个社区 (no such community): {community_id}")
    return community
