"""Use cases for orders: post, re-price, cancel. Splitting into lots happens in the worker."""

from __future__ import annotations

from sqlmodel import Session, col, select

from domain.lifecycle import order as order_life
from domain.orders.minimum_wage import audit_order_rate
from domain.orders.validation import OrderDraft, ProductSpec, validate_order
from domain.pay.money import format_rate, order_value_problem
from schemas import commands as c
from schemas.commands import RATE_INPUTS
from schemas.envelope import Event
from schemas.events.orders import OrderCancelled, OrderPosted, OrderRateChanged
from store.outbox import audit
from store.tables import Community, Enterprise, Order, Product, RateVersion, Resident, Site
from usecases.actors import Actor
from usecases.context import Context
from usecases.errors import Conflict, NotFound, Rejected, refused_as
from usecases.minimum_wages import minimum_at
from usecases.progress import close_unstarted_lots, move_order
from usecases.receipts import keyed


def product_spec(product: Product) -> ProductSpec:
    return ProductSpec(product.code, product.name, product.skill, product.standard_minutes_per_piece,
                       tuple(product.defect_codes), product.lot_size, product.min_lot_size)


@keyed(Order)
def post_order(session: Session, cmd: c.PostOrder, *, actor: Actor, ctx: Context) -> tuple[Order, list[Event]]:
    """Validate an order against what is registered, audit its rate, record it and its event."""
    actor.require("enterprise", "coordinator")
    if actor.role == "enterprise" and cmd.enterprise_id != actor.enterprise_id:
        raise Rejected("enterprise_id", "you may only post orders for your own enterprise")
    enterprise = session.get(Enterprise, cmd.enterprise_id)
    if enterprise is None:
        raise NotFound("enterprise_id", f"no such enterprise: {cmd.enterprise_id}")
    communities = {cid: session.get(Community, cid) for cid in cmd.eligible_community_ids}
    for cid, community in communities.items():
        if community is None:
            raise Rejected("eligible_community_ids", f"no such community: {cid}")
        if actor.role == "coordinator":
            actor.require_community(cid)
    order_id = cmd.order_id or ctx.new_id(c.GENERATED_ORDER_PREFIX.rstrip("-"))
    if session.get(Order, order_id):
        raise Conflict("order_id", f"already posted: {order_id}")
    product = session.get(Product, cmd.product_code)
    known = {product.code: product_spec(product)} if product else {}
    site_ids = [*cmd.eligible_site_ids, *([cmd.pickup_site_id] if cmd.pickup_site_id else [])]
    sites = {s.id: s.community_id for s in session.exec(select(Site).where(col(Site.id).in_(site_ids)))}
    errors = validate_order(
        _draft(cmd, enterprise.uscc), now=ctx.now, known_products=known, sites=sites,
        capacity_pieces_per_day=_capacity(session, product, cmd) if product else None,
    )
    if errors:
        raise Rejected(errors[0].field, errors[0].reason)
    assert product is not None
    rate = cmd.rate
    wage = audit_order_rate(piece_rate_centifen=rate.centifen,
                            standard_minutes_per_piece=product.standard_minutes_per_piece,
                            min_hourly_wage_fen=_order_minimum(session, communities, ctx))
    if wage.below and ctx.settings.refuse_below_minimum_wage:
        minimum = format_rate(wage.min_piece_rate_centifen)
        raise Rejected(_rate_field(cmd), f"按标准速度每小时 ¥{wage.hourly_fen_at_standard_speed / 100:.2f}，"
                       f"低于最低小时工资 ¥{wage.min_hourly_wage_fen / 100:.2f}；单价至少应为 {minimum} / "
                       f"pays {wage.hourly_fen_at_standard_speed / 100:.2f} yuan/hour at standard speed, below the "
                       f"minimum {wage.min_hourly_wage_fen / 100:.2f}; the rate must be at least "
                       f"{format_rate(wage.min_piece_rate_centifen, lang='en')}")
    order = Order(id=order_id, posted_at=ctx.now, below_minimum_wage=wage.below,
                  piece_rate_centifen=rate.centifen, rate_per=rate.per,
                  **cmd.model_dump(exclude={"order_id", *RATE_INPUTS}))
    session.add(order)
    session.add(RateVersion(order_id=order_id, version=1, piece_rate_centifen=rate.centifen, rate_per=rate.per,
                            reason="posted", effective_at=ctx.now))
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="order.post", subject=order_id,
          below_minimum_wage=wage.below, hourly_fen_at_standard_speed=wage.hourly_fen_at_standard_speed)
    event = OrderPosted(**ctx.envelope(cmd.eligible_community_ids[0]), order_id=order_id,
                        enterprise_id=cmd.enterprise_id, product_code=cmd.product_code, quantity=cmd.quantity,
                        piece_rate_centifen=rate.centifen, rate_per=rate.per, due_at=cmd.due_at,
                        eligible_community_ids=cmd.eligible_community_ids,
                        take_home_allowed=cmd.take_home_allowed, min_level=cmd.min_level,
                        pickup_site_id=cmd.pickup_site_id, below_minimum_wage=wage.below)
    return order, [event]


def change_rate(session: Session, order_id: str, cmd: c.ChangeRate, *, actor: Actor, ctx: Context) -> list[Event]:
    """Version a new rate; lots already accepted keep the rate they were accepted at."""
    order = _own_order(session, order_id, actor)
    with refused_as("order_id"):
        order_life.check_reprice(order.status)
    rate = cmd.rate
    too_much = order_value_problem(order.quantity, rate.centifen, order.quality_bonus_fen_per_piece)
    if too_much:
        raise Rejected(_rate_field(cmd), too_much)
    order.rate_version += 1
    order.piece_rate_centifen, order.rate_per = rate.centifen, rate.per
    session.add(order)
    session.add(RateVersion(order_id=order_id, version=order.rate_version, piece_rate_centifen=rate.centifen,
                            rate_per=rate.per, reason=cmd.reason, effective_at=ctx.now))
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="order.rate_change",
          subject=order_id, piece_rate_centifen=rate.centifen, rate_per=rate.per, reason=cmd.reason)
    return [OrderRateChanged(**ctx.envelope(order.eligible_community_ids[0]), order_id=order_id,
                             version=order.rate_version, piece_rate_centifen=rate.centifen, rate_per=rate.per,
                             reason=cmd.reason)]


def cancel_order(session: Session, order_id: str, cmd: c.CancelOrder, *, actor: Actor, ctx: Context) -> list[Event]:
    """Cancel: lots without materials issued are withdrawn, their holders told; issued lots finish."""
    order = _own_order(session, order_id, actor)
    with refused_as("order_id"):
        status = order_life.cancel(order.status)
    events: list[Event] = [OrderCancelled(**ctx.envelope(order.eligible_community_ids[0]), order_id=order_id,
                                          reason=cmd.reason), *move_order(session, order, status, ctx)]
    events += close_unstarted_lots(session, order, because="cancelled", actor=actor.username,
                                   reason=f"order cancelled: {cmd.reason}", ctx=ctx)
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="order.cancel", subject=order_id,
          reason=cmd.reason)
    return events


def _order_minimum(session: Session, communities: dict[str, Community | None], ctx: Context) -> int:
    """The highest part-time minimum among the order's communities today: the rate must pay it wherever it goes.

    Raises Rejected("division") for a community without a known figure (no default figure exists).
    """
    return max(minimum_at(session, c, ctx.now) for c in communities.values() if c is not None)


def _own_order(session: Session, order_id: str, actor: Actor) -> Order:
    actor.require("enterprise", "coordinator")
    order = session.get(Order, order_id)
    if order is None or (actor.role == "enterprise" and order.enterprise_id != actor.enterprise_id):
        raise NotFound("order_id", f"no such order: {order_id}")
    if actor.role == "coordinator" and not any(actor.may_see_community(c) for c in order.eligible_community_ids):
        raise NotFound("order_id", f"no such order: {order_id}")
    return order


def _draft(cmd: c.PostOrder, uscc: str) -> OrderDraft:
    return OrderDraft(
        enterprise_id=cmd.enterprise_id, uscc=uscc, product_code=cmd.product_code, quantity=cmd.quantity,
        piece_rate_centifen=cmd.rate.centifen, due_at=cmd.due_at,
        eligible_community_ids=tuple(cmd.eligible_community_ids), eligible_site_ids=tuple(cmd.eligible_site_ids),
        take_home_allowed=cmd.take_home_allowed, min_level=cmd.min_level,
        training_required=bool(cmd.training_required), pickup_site_id=cmd.pickup_site_id,
        quality_bonus_fen_per_piece=cmd.quality_bonus_fen_per_piece,
    )


def _rate_field(cmd: c.PricedCommand) -> str:
    """The field the caller wrote the rate in, so a refusal names what they sent."""
    return next(name for name in c.RATE_INPUTS if getattr(cmd, name) is not None)


def _capacity(session: Session, product: Product, cmd: c.PostOrder) -> int | None:
    """A rough pieces-per-day estimate (4 working hours a day per skilled resident); None if unknown."""
    residents = session.exec(select(Resident).where(col(Resident.community_id).in_(cmd.eligible_community_ids),
                                                    Resident.active == True)).all()  # noqa: E712
    skilled = sum(1 for r in residents if int(r.skills.get(product.skill, 0)) >= cmd.min_level)
    if not skilled:
        return None
    return max(1, int(skilled * 4 * 60 / product.standard_minutes_per_piece))
