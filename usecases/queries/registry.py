"""Scoped reads of the registry: communities, enterprises, products, sites and the minimum-wage table.

Scopes as elsewhere (usecases.actors): the city sees everything; a coordinator their communities and what is in
them; an enterprise its own record, and the communities, sites and products it may post orders to; a resident
their own community and its sites. None of these rows holds personal data.
"""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from pydantic import BaseModel
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from domain.divisions import UnknownDivision
from domain.pay.minimum_wages import covering_codes
from store.tables import Community, Enterprise, Product, Site
from usecases.actors import Actor
from usecases.errors import NotFound, Rejected
from usecases.minimum_wages import divisions, wage_table

ALL_COMMUNITIES = ("city", "system", "enterprise")  # enterprises post orders to any community
T = TypeVar("T")


class CommunityView(BaseModel):
    id: str
    name: str
    street: str
    district: str
    city: str
    division: str
    division_name: str


class EnterpriseView(BaseModel):
    id: str
    name: str
    uscc: str


class ProductView(BaseModel):
    code: str
    name: str
    skill: str
    standard_minutes_per_piece: float
    defect_codes: list[str]
    lot_size: int
    min_lot_size: int


class SiteView(BaseModel):
    id: str
    community_id: str
    name: str
    kind: str
    seats: int
    equipment: list[str]
    opening_hours: list[tuple[int, int, int]]
    lat: float | None
    lon: float | None


class MinimumWageView(BaseModel):
    division: str
    division_name: str
    tier: str
    hourly_fen: int
    monthly_fen: int | None
    effective_from: date | None  # None: the data file gives no date (in force until a dated figure)
    source: str


def _window(stmt: SelectOfScalar[T], limit: int | None, offset: int) -> SelectOfScalar[T]:
    """`limit` rows (None: all) from `offset` of an ordered query."""
    stmt = stmt.offset(offset) if offset else stmt
    return stmt if limit is None else stmt.limit(limit)


def communities(session: Session, actor: Actor, *, community_id: str | None = None, limit: int | None = None,
                offset: int = 0) -> list[CommunityView]:
    """Communities the caller may see by id, `limit` of them (None: all) from `offset`; with `community_id`, that
    one or NotFound("community_id")."""
    stmt = select(Community).order_by(col(Community.id))
    if community_id is not None:
        stmt = stmt.where(Community.id == community_id)
    if actor.role not in ALL_COMMUNITIES:  # scoped in the query, so a page holds only rows the caller may see
        stmt = stmt.where(col(Community.id).in_(sorted(actor.community_ids)))
    rows = [CommunityView(**c.model_dump(include=set(CommunityView.model_fields) - {"division_name"}),
                          division_name=divisions().full_name(c.division) if c.division else "")
            for c in session.exec(_window(stmt, limit, offset))]
    if community_id is not None and not rows:
        raise NotFound("community_id", f"no such community: {community_id}")
    return rows


def enterprises(session: Session, actor: Actor, *, enterprise_id: str | None = None, limit: int | None = None,
                offset: int = 0) -> list[EnterpriseView]:
    """Every enterprise for the city and coordinators (who register them); an enterprise sees only itself. By id,
    `limit` of them (None: all) from `offset`."""
    actor.require("city", "coordinator", "enterprise")
    stmt = select(Enterprise).order_by(col(Enterprise.id))
    if enterprise_id is not None:
        stmt = stmt.where(Enterprise.id == enterprise_id)
    if actor.role == "enterprise":
        stmt = stmt.where(Enterprise.id == (actor.enterprise_id or ""))
    rows = [EnterpriseView(id=e.id, name=e.name, uscc=e.uscc) for e in session.exec(_window(stmt, limit, offset))]
    if enterprise_id is not None and not rows:
        raise NotFound("enterprise_id", f"no such enterprise: {enterprise_id}")
    return rows


def products(session: Session, actor: Actor, *, product_code: str | None = None, limit: int | None = None,
             offset: int = 0) -> list[ProductView]:
    """The product catalogue, shared by the city, coordinators and enterprises; by code, `limit` (None: all) from
    `offset`."""
    actor.require("city", "coordinator", "enterprise")
    stmt = select(Product).order_by(col(Product.code))
    if product_code is not None:
        stmt = stmt.where(Product.code == product_code)
    rows = [ProductView(**p.model_dump()) for p in session.exec(_window(stmt, limit, offset))]
    if product_code is not None and not rows:
        raise NotFound("product_code", f"no such product: {product_code}")
    return rows


def sites(session: Session, actor: Actor, *, site_id: str | None = None, community_id: str | None = None,
          limit: int | None = None, offset: int = 0) -> list[SiteView]:
    """Sites of the communities the caller may see by id, `limit` of them (None: all) from `offset`; with
    `site_id`, that one or NotFound("site_id")."""
    stmt = select(Site).order_by(col(Site.id))
    if site_id is not None:
        stmt = stmt.where(Site.id == site_id)
    if community_id is not None:
        stmt = stmt.where(Site.community_id == community_id)
    if actor.role not in ALL_COMMUNITIES:  # scoped in the query, so a page holds only rows the caller may see
        stmt = stmt.where(col(Site.community_id).in_(sorted(actor.community_ids)))
    rows = [SiteView(**s.model_dump()) for s in session.exec(_window(stmt, limit, offset))]
    if site_id is not None and not rows:
        raise NotFound("site_id", f"no such site: {site_id}")
    return rows


def minimum_wages(session: Session, actor: Actor, *, division: str | None = None) -> list[MinimumWageView]:
    """The table in use (shipped and added), by division, newest first, then tier (unique); with `division`, the
    figures that may apply to it."""
    actor.require("city", "coordinator", "enterprise")
    table = wage_table(session)
    figures = table.figures
    if division is not None:
        try:
            code = divisions().resolve(division)
        except UnknownDivision as exc:
            raise Rejected("division", exc.reason) from None
        figures = tuple(f for f in figures if f.division in covering_codes(code))
    return [MinimumWageView(division=f.division, division_name=divisions().full_name(f.division), tier=f.tier,
                            hourly_fen=f.hourly_fen, monthly_fen=f.monthly_fen,
                            effective_from=None if f.effective_from == date.min else f.effective_from,
                            source=f.source)
            for f in sorted(figures, key=lambda f: (f.division, f.effective_from, f.tier), reverse=True)]
