"""Scoped reads: every function takes the Actor and returns only what that person may see."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Date, String, bindparam, case, cast, func, or_
from sqlalchemy import select as sa_select
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Session, col, select

from domain.lifecycle import lot as lot_life
from domain.lifecycle import order as order_life
from domain.lifecycle.offer import OfferStatus
from domain.lifecycle.submission import SubmissionStatus
from domain.orders import lot_codes
from domain.orders.masking import mask_id_number, mask_phone
from domain.pay.money import format_rate, piece_pay_fen
from domain.report_month import month_of
from store.tables import (
    Community,
    Inspection,
    LedgerEntry,
    Lot,
    Offer,
    Order,
    Product,
    Resident,
    Site,
    Submission,
)
from usecases.actors import Actor
from usecases.errors import NotFound
from usecases.queries.delivered import with_delivery
from usecases.queries.in_work import in_work_statement
from usecases.queries.views import (
    EarningLine,
    Earnings,
    InspectionView,
    LotView,
    OfferView,
    OrderView,
    Overview,
    ResidentView,
    SubmissionView,
)

TZ = ZoneInfo("Asia/Shanghai")


def overview(session: Session, *, now: datetime) -> Overview:
    """City-wide aggregates (public, no personal data), in one statement of scalar subqueries; residents in work
    are this Asia/Shanghai month's (usecases.queries.in_work), as the city page and its report count them."""
    month = month_of(now.astimezone(TZ).date())
    row = session.execute(_overview_statement(), {"first_day": month.first_day, "end_day": month.end_day}).one()
    return Overview(**{name: int(value or 0) for name, value in zip(Overview.model_fields, row, strict=True)})


@cache
def _overview_statement() -> Any:
    """The overview's one statement, built once: each statement costs the API ≈ 0.4 ms of CPU in SQLAlchemy whatever
    the database does, and building this one and its cache key again on every call cost as much as running it
    (issue 19). Its columns are Overview's fields, in order."""
    total = sa_select(func.count())
    figures = {
        "sites": total.select_from(Site),
        "communities": total.select_from(Community),
        "residents_active": total.select_from(Resident).where(col(Resident.active) == True),  # noqa: E712
        # Every community named, so the month's days are read through ledger_day's key (community, day, …).
        "residents_in_work": sa_select(func.count()).select_from(in_work_statement(
            bindparam("first_day", type_=Date), bindparam("end_day", type_=Date),
            sa_select(col(Community.id)).scalar_subquery()).subquery()),
        "orders_open": total.select_from(Order).where(col(Order.status).in_(order_life.LIVE_ORDER)),
        "lots_open": total.select_from(Lot).where(col(Lot.status).in_(lot_life.UNFINISHED)),
        "offers_pending": total.select_from(Offer).where(col(Offer.status) == OfferStatus.PENDING),
        "pieces_passed_total": sa_select(func.coalesce(func.sum(Lot.pieces_passed), 0)),
        "pieces_rejected_total": sa_select(func.coalesce(func.sum(Lot.pieces_rejected), 0)),
        "earnings_total_fen": sa_select(func.coalesce(func.sum(LedgerEntry.amount_fen), 0)),
    }
    assert list(figures) == list(Overview.model_fields)
    return sa_select(*(q.scalar_subquery() for q in figures.values()))


def orders(session: Session, actor: Actor, *, order_id: str | None = None, limit: int | None = 500,
           offset: int = 0) -> list[OrderView]:
    """Orders with progress, newest first (ties by id, so a page boundary never swaps two orders posted in the
    same instant), `limit` of them from `offset` (None: all): an enterprise sees its own, a coordinator those
    offered to their communities (eligible_community_ids names one of theirs), the city all, a resident none.

    One statement, built once per filter shape with bound parameters: the page of orders with each one's lots'
    progress and ledger cost (fen) joined to it (issue 19: three statements cost the API ≈ 1.5 ms of CPU a request
    more than one, and a coordinator's page was cut in Python from every order of the city)."""
    if actor.role == "resident":
        return []
    params: dict[str, Any] = {"offset": offset}
    if limit is not None:
        params["limit"] = limit
    if order_id:
        params["order_id"] = order_id
    if actor.role == "enterprise":
        params["own_enterprise"] = actor.enterprise_id or ""
    elif actor.role not in ("city", "system"):  # a coordinator
        params["own_communities"] = sorted(actor.community_ids)
    stmt = _orders_statement(frozenset(params), session.get_bind().dialect.name)
    return with_delivery(session, [OrderView(
        id=o.id, enterprise_id=o.enterprise_id, product_code=o.product_code, quantity=o.quantity,
        piece_rate_centifen=o.piece_rate_centifen, rate_per=o.rate_per,
        piece_rate_text=format_rate(o.piece_rate_centifen, o.rate_per), rate_version=o.rate_version,
        due_at=o.due_at, status=o.status, below_minimum_wage=o.below_minimum_wage, lots=int(o.lots or 0),
        pieces_issued=int(o.issued or 0), pieces_submitted=int(o.submitted or 0),
        pieces_resubmitted=int(o.resubmitted or 0), pieces_passed=int(o.passed or 0),
        pieces_rejected=int(o.rejected or 0), cost_to_date_fen=int(o.cost or 0))
        for o in session.execute(stmt, params)])


@cache
def _orders_statement(given: frozenset[str], dialect: str) -> Any:
    """orders()'s statement for the bound parameters `given` on `dialect` ('sqlite' or 'postgresql'), built once per
    shape (as _lots_statement): the page of orders first, then its lots' sums and ledger cost by order, each read
    through the order_id indexes for the page's orders only, as the three statements before it did."""
    newest_first = (col(Order.posted_at).desc(), col(Order.id).desc())
    page = sa_select(*map(col, (Order.id, Order.enterprise_id, Order.product_code, Order.quantity,
                                Order.piece_rate_centifen, Order.rate_per, Order.rate_version, Order.due_at,
                                Order.status, Order.below_minimum_wage, Order.posted_at))).order_by(*newest_first)
    if "order_id" in given:
        page = page.where(col(Order.id) == bindparam("order_id"))
    if "own_enterprise" in given:
        page = page.where(col(Order.enterprise_id) == bindparam("own_enterprise"))
    if "own_communities" in given:
        page = page.where(_eligible_in(dialect))
    page = page.offset(bindparam("offset"))
    paged = (page.limit(bindparam("limit")) if "limit" in given else page).cte("page")
    progress = sa_select(
        col(Lot.order_id).label("order_id"), func.count().label("lots"),
        func.sum(Lot.pieces_issued).label("issued"), func.sum(Lot.pieces_submitted).label("submitted"),
        func.sum(Lot.pieces_resubmitted).label("resubmitted"), func.sum(Lot.pieces_passed).label("passed"),
        func.sum(Lot.pieces_rejected).label("rejected"),
    ).where(col(Lot.order_id).in_(sa_select(paged.c.id))).group_by(col(Lot.order_id)).subquery("progress")
    cost = sa_select(col(LedgerEntry.order_id).label("order_id"), func.sum(LedgerEntry.amount_fen).label("cost")) \
        .where(col(LedgerEntry.order_id).in_(sa_select(paged.c.id))).group_by(col(LedgerEntry.order_id)) \
        .subquery("cost")
    return sa_select(paged, *(progress.c[name] for name in ("lots", "issued", "submitted", "resubmitted", "passed",
                                                             "rejected")), cost.c.cost) \
        .select_from(paged.outerjoin(progress, progress.c.order_id == paged.c.id)
                     .outerjoin(cost, cost.c.order_id == paged.c.id)) \
        .order_by(paged.c.posted_at.desc(), paged.c.id.desc())


def _eligible_in(dialect: str) -> Any:
    """Whether an order's eligible_community_ids (a JSON list of ids) names one of the bound `own_communities`, in
    the database: PostgreSQL asks the list as jsonb whether it holds any of them; SQLite looks through its items."""
    if dialect == "postgresql":
        return cast(col(Order.eligible_community_ids), JSONB).has_any(
            bindparam("own_communities", type_=ARRAY(String)))
    items = func.json_each(col(Order.eligible_community_ids)).table_valued("value")
    return sa_select(1).select_from(items).where(
        items.c.value.in_(bindparam("own_communities", expanding=True))).exists()


def lots(session: Session, actor: Actor, *, community_id: str | None = None, status: str | None = None,
         statuses: Collection[str] | None = None, lot_id: str | None = None, resident_id: str | None = None,
         limit: int = 500, offset: int = 0) -> list[LotView]:
    """Lots of the caller's communities (coordinator, city), own orders (enterprise) or own lots (resident).

    Every filter is applied in the query, before the page (`limit` rows from `offset`, by due date then id) is cut,
    so one resident's lots are all reachable however busy their community. `resident_id` must be visible to the
    caller (NotFound otherwise).
    """
    params: dict[str, Any] = {"offset": offset, "limit": limit}
    if lot_id:  # the long id, or the short code a person typed (批次简码)
        params |= {"lot_id": lot_id, "short_code": lot_codes.normalise(lot_id)}
    if community_id:
        params["community_id"] = community_id
    if status:
        params["status"] = status
    if statuses is not None:
        params["statuses"] = list(statuses)
    if resident_id is not None:
        params["resident_id"] = visible_resident_id(session, actor, resident_id)
    scope = actor.role if actor.role in ("resident", "enterprise", "coordinator") else None
    if scope == "resident":
        params["own_resident"] = actor.resident_id or ""
    elif scope == "enterprise":
        params["own_enterprise"] = actor.enterprise_id or ""
    elif scope == "coordinator":
        params["own_communities"] = sorted(actor.community_ids)
    stmt = _lots_statement(frozenset(params), scope)
    return [LotView(**row._mapping) for row in session.execute(stmt, params)]


@cache
def _lots_statement(given: frozenset[str], scope: str | None) -> Any:
    """lots()'s statement for the filters `given` (their bound parameters' names) and the caller's scope, built once
    per shape with bound parameters (issue 19: building and keying it again cost ≈ 0.2 ms of CPU a request)."""
    # The columns shown, not whole Lot and Product rows: an ORM entity per row cost more CPU than the query.
    shown = [col(getattr(Lot, name)) for name in LotView.model_fields
             if name not in ("product_code", "product_name", "below_minimum_wage")]
    product: list[Any] = [col(Product.code).label("product_code"), col(Product.name).label("product_name"),
                          col(Order.below_minimum_wage).label("below_minimum_wage")]
    stmt = sa_select(*shown, *product).select_from(Lot).join(Order, col(Order.id) == col(Lot.order_id)).join(
        Product, col(Product.code) == col(Order.product_code)).order_by(col(Lot.due_at), col(Lot.id))
    if "lot_id" in given:
        stmt = stmt.where(or_(col(Lot.id) == bindparam("lot_id"), col(Lot.short_code) == bindparam("short_code")))
    if "community_id" in given:
        stmt = stmt.where(col(Lot.community_id) == bindparam("community_id"))
    if "status" in given:
        stmt = stmt.where(col(Lot.status) == bindparam("status"))
    if "statuses" in given:
        stmt = stmt.where(col(Lot.status).in_(bindparam("statuses", expanding=True)))
    if "resident_id" in given:
        stmt = stmt.where(col(Lot.resident_id) == bindparam("resident_id"))
    if scope == "resident":
        stmt = stmt.where(col(Lot.resident_id) == bindparam("own_resident"))
    elif scope == "enterprise":
        stmt = stmt.where(col(Order.enterprise_id) == bindparam("own_enterprise"))
    elif scope == "coordinator":
        stmt = stmt.where(col(Lot.community_id).in_(bindparam("own_communities", expanding=True)))
    return stmt.offset(bindparam("offset")).limit(bindparam("limit"))


def offers(session: Session, actor: Actor, resident_id: str | None = None, *,
           status: str | None = None, limit: int | None = None, offset: int = 0) -> list[OfferView]:
    """Offers with the rules disclosed before accepting: a resident's own (`resident_id`, NotFound if not visible),
    or those of a coordinator's communities; newest first, ties by id (the API pages by position, so the order
    must be total), `limit` of them from `offset` (every one when `limit` is None, as the dashboard reads them)."""
    params: dict[str, Any] = {"offset": offset}
    if resident_id is not None:
        params["resident_id"] = visible_resident_id(session, actor, resident_id)
    elif actor.role == "resident":
        params["resident_id"] = actor.resident_id or ""
    elif actor.role == "coordinator":
        params["communities"] = sorted(actor.community_ids)
    elif actor.role not in ("city", "system"):
        return []
    if status:
        params["status"] = status
    if limit is not None:
        params["limit"] = limit
    return [OfferView(
        id=o.id, lot_id=o.lot_id, resident_id=o.resident_id, status=o.status, pieces=o.pieces,
        piece_rate_centifen=o.piece_rate_centifen, piece_rate_text=format_rate(o.piece_rate_centifen, o.rate_per),
        amount_fen=piece_pay_fen(o.pieces, o.piece_rate_centifen), due_at=o.due_at,
        expires_at=o.expires_at, product_name=o.name, defect_codes=list(o.defect_codes),
        quality_bonus_fen_per_piece=o.quality_bonus_fen_per_piece, explanation_zh=o.explanation_zh,
        explanation_en=o.explanation_en, lot_short_code=o.short_code)
        for o in session.execute(_offers_statement(frozenset(params)), params)]


@cache
def _offers_statement(given: frozenset[str]) -> Any:
    """offers()'s statement for the bound parameters `given`, built once per shape (issue 19, as _lots_statement)."""
    # The columns shown, not four whole rows (Offer, Lot, Order, Product) per offer.
    stmt = sa_select(
        *map(col, (Offer.id, Offer.lot_id, Offer.resident_id, Offer.status, Offer.pieces, Offer.piece_rate_centifen,
                   Offer.expires_at, Offer.explanation_zh, Offer.explanation_en, Order.rate_per,
                   Order.quality_bonus_fen_per_piece, Lot.due_at, Lot.short_code, Product.name, Product.defect_codes)),
    ).select_from(Offer).join(Lot, col(Lot.id) == col(Offer.lot_id)).join(
        Order, col(Order.id) == col(Lot.order_id)).join(Product, col(Product.code) == col(Order.product_code)).order_by(
        col(Offer.offered_at).desc(), col(Offer.id).desc())
    if "resident_id" in given:
        stmt = stmt.where(col(Offer.resident_id) == bindparam("resident_id"))
    if "communities" in given:
        stmt = stmt.where(col(Offer.community_id).in_(bindparam("communities", expanding=True)))
    if "status" in given:
        stmt = stmt.where(col(Offer.status) == bindparam("status"))
    stmt = stmt.offset(bindparam("offset"))
    return stmt.limit(bindparam("limit")) if "limit" in given else stmt


def earnings(session: Session, actor: Actor, resident_id: str, *, now: datetime) -> Earnings:
    """A resident's earnings today / this week / this month (Asia/Shanghai) and their ledger lines."""
    who = visible_resident_id(session, actor, resident_id)
    local = now.astimezone(TZ)
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    week, month = day - timedelta(days=day.weekday()), day.replace(day=1)
    sums, lines = _earnings_statements()
    today, this_week, this_month, total = session.execute(
        sums, {"resident_id": who, "day": day, "week": week, "month": month}).one()
    rows = session.execute(lines, {"resident_id": who}).all()
    return Earnings(resident_id=resident_id, today_fen=today, week_fen=this_week, month_fen=this_month,
                    total_fen=total, entries=[EarningLine(**r._mapping) for r in rows])


@cache
def _earnings_statements() -> tuple[Any, Any]:
    """earnings()'s two statements, built once with bound parameters (resident_id; day, week and month: the
    Asia/Shanghai midnights they start at), as _overview_statement is (issue 19): sums and the latest 200 lines."""
    mine = col(LedgerEntry.resident_id) == bindparam("resident_id")

    def since(start: str) -> Any:
        return func.coalesce(func.sum(case((col(LedgerEntry.posted_at) >= bindparam(start), LedgerEntry.amount_fen),
                                           else_=0)), 0)

    # Summed in the database: a resident working for years has tens of thousands of lines.
    sums = sa_select(since("day"), since("week"), since("month"),
                     func.coalesce(func.sum(LedgerEntry.amount_fen), 0)).where(mine)
    line = [getattr(LedgerEntry, name) for name in EarningLine.model_fields]  # the columns shown, not whole rows
    lines = sa_select(*line).where(mine).order_by(col(LedgerEntry.posted_at).desc(),
                                                  col(LedgerEntry.id).desc()).limit(200)
    return sums, lines


def residents(session: Session, actor: Actor, *, community_id: str | None = None,
              unmasked: bool = False) -> list[ResidentView]:
    """Residents of the caller's communities; phone and ID numbers masked unless the view needs them."""
    actor.require("coordinator", "city")
    stmt = select(Resident).order_by(Resident.id)
    if community_id:
        stmt = stmt.where(Resident.community_id == community_id)
    if actor.role == "coordinator":
        stmt = stmt.where(col(Resident.community_id).in_(sorted(actor.community_ids)))
    return [resident_view(r, unmasked=unmasked and actor.role == "coordinator") for r in session.exec(stmt)]


def resident_view(r: Resident, *, unmasked: bool = False) -> ResidentView:
    return ResidentView(
        id=r.id, community_id=r.community_id, name=r.name,
        phone=r.phone if unmasked or not r.phone else mask_phone(r.phone),
        id_number=r.id_number if unmasked or not r.id_number else mask_id_number(r.id_number),
        work_mode=r.work_mode, skills={k: int(v) for k, v in r.skills.items()}, priority_group=r.priority_group,
        pass_rate=round(r.pieces_passed / r.pieces_inspected, 4) if r.pieces_inspected else None)


def submissions(session: Session, actor: Actor, *, status: str | None = SubmissionStatus.PENDING,
                limit: int = 500, offset: int = 0) -> list[SubmissionView]:
    """The inspection queue of the caller's communities (or a resident's own submissions), oldest first:
    `limit` rows from `offset`."""
    stmt = select(Submission, Lot.community_id).join(Lot, col(Lot.id) == Submission.lot_id).order_by(
        col(Submission.submitted_at))
    if status:
        stmt = stmt.where(Submission.status == status)
    if actor.role == "resident":
        stmt = stmt.where(Submission.resident_id == (actor.resident_id or ""))
    elif actor.role == "coordinator":
        stmt = stmt.where(col(Lot.community_id).in_(sorted(actor.community_ids)))
    elif actor.role != "city":
        return []
    return [SubmissionView.model_validate(s, from_attributes=True)
            for s, _ in session.exec(stmt.offset(offset).limit(limit))]


def inspections(session: Session, actor: Actor, resident_id: str, *, limit: int | None = None,
                offset: int = 0) -> list[InspectionView]:
    """A resident's inspections, rejections with their defect codes; newest first, ties by id (one hand-in's
    inspections share an instant), `limit` of them from `offset` (every one when `limit` is None).
    NotFound('resident_id') if the caller may not see the resident."""
    mine = col(Inspection.resident_id) == visible_resident_id(session, actor, resident_id)
    rows = session.exec(select(Inspection).where(mine).order_by(
        col(Inspection.inspected_at).desc(), col(Inspection.id).desc()).offset(offset).limit(limit))
    return [InspectionView.model_validate(i, from_attributes=True) for i in rows]


def visible_resident(session: Session, actor: Actor, resident_id: str) -> Resident:
    """The resident if the caller may see them (themself, or a coordinator or the bureau of their community)."""
    resident = session.get(Resident, resident_id)
    if resident is None or not _may_see_resident(actor, resident_id, resident.community_id):
        raise _no_such_resident(resident_id)
    return resident


def visible_resident_id(session: Session, actor: Actor, resident_id: str) -> str:
    """`resident_id` if the caller may see that resident (visible_resident's rule), without loading the resident.

    A resident asking about herself is not looked up: her sign-in names her, and a sign-in's resident exists (a
    foreign key). Anyone else needs the resident's community, one column. Raises NotFound('resident_id').
    """
    if actor.role == "resident" and actor.resident_id == resident_id:
        return resident_id
    community_id = session.exec(select(Resident.community_id).where(Resident.id == resident_id)).first()
    if community_id is None or not _may_see_resident(actor, resident_id, community_id):
        raise _no_such_resident(resident_id)
    return resident_id


def _may_see_resident(actor: Actor, resident_id: str, community_id: str) -> bool:
    return ((actor.role == "resident" and actor.resident_id == resident_id)
            or (actor.role in ("coordinator", "city", "system") and actor.may_see_community(community_id)))


def _no_such_resident(resident_id: str) -> NotFound:
    # The same answer whether it does not exist or is not yours: no probing for ids.
    return NotFound("resident_id", f"no such resident: {resident_id}")
