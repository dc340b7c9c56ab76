"""The enterprise's dashboard reads: its own orders only, with quality, forecast and settlement statements."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from domain.orders.defects import parse_defect, product_defects
from domain.orders.delivery import delivery
from domain.orders.minimum_wage import WageAudit, audit_order_rate
from domain.orders.order_template import order_template
from domain.pay.settlement import fee_fen
from domain.sheets import Sheet
from store.tables import Community, Enterprise, Inspection, LedgerEntry, Lot, Order, PayPeriod, Product, Site
from usecases.actors import Actor
from usecases.errors import Forbidden, NotFound
from usecases.minimum_wages import minimum_at
from usecases.queries import reads
from usecases.queries.dashboard import passed_pieces
from usecases.queries.dashboard_views import DefectCount, EnterpriseView, OrderProgress, Statement, StatementLine
from usecases.queries.names import order_labels
from usecases.queries.views import OrderView

TZ = ZoneInfo("Asia/Shanghai")


def enterprise_view(session: Session, actor: Actor, *, now: datetime, service_fee_bps: int) -> EnterpriseView:
    """An enterprise's orders with progress, defects and projected completion, and what it owes per period."""
    if actor.role != "enterprise" or not actor.enterprise_id:
        raise Forbidden("role", "只有企业能在这里查看自己的订单 / only an enterprise sees its orders here")
    orders = reads.orders(session, actor, limit=None)  # every order: the page must not stop at the newest 500
    defects = _defects(session, [o.id for o in orders])
    mine = select(Order.id, Order.posted_at).where(Order.enterprise_id == actor.enterprise_id)
    posted = dict(session.exec(mine).all())
    products = {p.code: p for p in session.exec(select(Product).where(
        col(Product.code).in_(sorted({o.product_code for o in orders}))))} if orders else {}
    names = {code: p.name for code, p in products.items()}
    labels = order_labels(orders, posted, names)
    return EnterpriseView(
        enterprise_id=actor.enterprise_id,
        orders=[_progress(o, _named(defects.get(o.id, Counter()), products.get(o.product_code)),
                          posted_at=posted.get(o.id, now), now=now).model_copy(update={
                              "product_name": names.get(o.product_code, o.product_code), "label": labels[o.id]})
                for o in orders],
        cost_to_date_fen=sum(o.cost_to_date_fen for o in orders),
        statements=statements(session, actor.enterprise_id, service_fee_bps=service_fee_bps))


def _named(defects: Counter[str], product: Product | None) -> list[DefectCount]:
    """Counts per code, most cited first, each with the name the product gives it (domain.orders.defects)."""
    named = {d.code: d.name for d in product_defects(product.defect_codes if product else [])}
    return [DefectCount(code=code, inspections=n, name=named.get(code) or parse_defect(code).name)
            for code, n in defects.most_common()]


def statements(session: Session, enterprise_id: str, *, service_fee_bps: int) -> list[Statement]:
    """Per pay period: residents' pay per order and the service fee (per order, rounded as the settlement rule)."""
    pay = session.exec(select(LedgerEntry.period_id, LedgerEntry.order_id, func.sum(LedgerEntry.amount_fen))
                       .where(LedgerEntry.enterprise_id == enterprise_id)
                       .group_by(col(LedgerEntry.period_id), col(LedgerEntry.order_id))).all()
    pieces = {(p, o): int(n or 0) for p, o, n in session.exec(
        select(LedgerEntry.period_id, LedgerEntry.order_id, func.sum(LedgerEntry.pieces))
        .where(LedgerEntry.enterprise_id == enterprise_id, passed_pieces())
        .group_by(col(LedgerEntry.period_id), col(LedgerEntry.order_id))).all()}
    lines: dict[str, list[StatementLine]] = defaultdict(list)
    for period_id, order_id, fen in pay:
        fen = int(fen or 0)
        fee = fee_fen(fen, service_fee_bps)
        lines[period_id].append(StatementLine(order_id=order_id or "", pieces_passed=pieces.get((period_id, order_id),
                                              0), residents_pay_fen=fen, service_fee_fen=fee, total_fen=fen + fee))
    worked_in: dict[str, set[str]] = defaultdict(set)  # period -> communities whose work it pays
    for period_id, community_id in session.exec(select(LedgerEntry.period_id, LedgerEntry.community_id)
                                                .where(LedgerEntry.enterprise_id == enterprise_id).distinct()).all():
        worked_in[period_id].add(community_id)
    closed = set(session.exec(select(PayPeriod.period_id, PayPeriod.community_id).where(
        col(PayPeriod.period_id).in_(sorted(lines)))).all()) if lines else set()
    out = []
    for period_id in sorted(lines, reverse=True):
        rows = sorted(lines[period_id], key=lambda line: line.order_id)
        resident_pay, fee = sum(r.residents_pay_fen for r in rows), sum(r.service_fee_fen for r in rows)
        # Final once every community the period's work was done in has closed it: the figures are frozen.
        final = all((period_id, c) in closed for c in worked_in[period_id])
        out.append(Statement(period_id=period_id, lines=rows, residents_pay_fen=resident_pay, service_fee_fen=fee,
                             total_fen=resident_pay + fee, final=final))
    return out


def _defects(session: Session, order_ids: list[str]) -> dict[str, Counter[str]]:
    """How many standing inspections cite each defect code, per order."""
    if not order_ids:
        return {}
    rows = session.exec(select(Lot.order_id, Inspection.defect_codes).join(Lot, col(Lot.id) == Inspection.lot_id)
                        .where(col(Lot.order_id).in_(order_ids), Inspection.superseded == False,  # noqa: E712
                               Inspection.rejected > 0)).all()
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for order_id, codes in rows:
        out[order_id].update(codes)
    return out


def _progress(order: OrderView, defects: list[DefectCount], *, posted_at: datetime, now: datetime) -> OrderProgress:
    judged = order.pieces_passed + order.pieces_rejected
    d = delivery(status=order.status, quantity=order.quantity, pieces_passed=order.pieces_passed,
                 due_at=order.due_at, posted_at=posted_at, delivered_at=order.delivered_at, now=now)
    return OrderProgress(
        order=order, pass_rate=round(order.pieces_passed / judged, 4) if judged else None,
        defects=defects, projected_done_at=d.projected_at, on_time=d.on_time, delivered_at=d.delivered_at)


def order_wage(session: Session, actor: Actor, order_id: str, *, now: datetime) -> WageAudit:
    """What one of the enterprise's orders pays an hour at standard speed against the highest part-time minimum
    of its communities today, and the lowest rate that meets it (domain.orders.minimum_wage, as post_order judges).

    Raises NotFound for an order that is not the caller's own (or none); Rejected("division") for a community
    with no known minimum.
    """
    order = session.get(Order, order_id)
    if order is None or (actor.role == "enterprise" and order.enterprise_id != actor.enterprise_id):
        raise NotFound("order_id", f"no such order: {order_id}")
    product = session.get(Product, order.product_code)
    assert product is not None  # an order names a registered product (foreign key)
    return _wage(session, product, order.eligible_community_ids, order.piece_rate_centifen, now)


def draft_wage(session: Session, actor: Actor, *, product_code: str, community_ids: Sequence[str],
               piece_rate_centifen: int, now: datetime) -> WageAudit | None:
    """The same judgement as order_wage for an order still being typed (issue 15: warned before posting):
    the rate (exact, 0.0001 yuan a piece) at standard speed against the highest minimum of the chosen
    communities today (Asia/Shanghai day of `now`), and the lowest rate that meets it.

    None while there is nothing to judge yet: no community chosen, or an unknown product or community.
    Raises Forbidden for anyone but an enterprise; Rejected("division") for a community with no known minimum.
    """
    if actor.role != "enterprise":
        raise Forbidden("role", "只有企业能在这里发布订单 / only an enterprise posts orders here")
    product = session.get(Product, product_code)
    known = [cid for cid in community_ids if session.get(Community, cid) is not None]
    if product is None or not known:
        return None
    return _wage(session, product, known, piece_rate_centifen, now)


def _wage(session: Session, product: Product, community_ids: Sequence[str], piece_rate_centifen: int,
          now: datetime) -> WageAudit:
    """The rule post_order applies: audit_order_rate against the highest minimum_at of the communities."""
    communities = [c for c in (session.get(Community, cid) for cid in community_ids) if c]
    return audit_order_rate(piece_rate_centifen=piece_rate_centifen,
                            standard_minutes_per_piece=product.standard_minutes_per_piece,
                            min_hourly_wage_fen=max(minimum_at(session, c, now) for c in communities))


def enterprise_order_template(session: Session, actor: Actor, *, now: datetime) -> Sheet:
    """The signed-in enterprise's order template (domain.orders.order_template): its id and credit code, every
    community and site, the products, due 14 days from `now` at 18:00 Asia/Shanghai. The one order template the
    page offers; it imports through usecases.imports.import_orders as downloaded once 订单号 and 单价 are filled.

    Raises Forbidden for anyone but an enterprise, NotFound for an enterprise not registered.
    """
    if actor.role != "enterprise" or not actor.enterprise_id:
        raise Forbidden("role", "只有企业有订单模板 / only an enterprise has an order template")
    enterprise = session.get(Enterprise, actor.enterprise_id)
    if enterprise is None:
        raise NotFound("enterprise_id", f"no such enterprise: {actor.enterprise_id}")
    due = (now.astimezone(TZ) + timedelta(days=14)).replace(hour=18, minute=0, second=0, microsecond=0)
    return order_template(
        enterprise_id=enterprise.id, uscc=enterprise.uscc,
        community_ids=list(session.exec(select(Community.id).order_by(col(Community.id)))),
        site_ids=list(session.exec(select(Site.id).order_by(col(Site.id)))),
        product_codes=list(session.exec(select(Product.code).order_by(col(Product.code)))), due_local=due)
