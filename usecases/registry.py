"""Use cases for registering communities, enterprises, products, sites and residents."""

from __future__ import annotations

from sqlmodel import Session

from domain.orders.uscc import check_uscc
from schemas import commands as c
from schemas.envelope import Event
from schemas.events.people import AvailabilityChanged, ResidentRegistered, SiteRegistered
from store.outbox import audit
from store.tables import Community, Enterprise, Product, Resident, Site, User
from usecases.actors import Actor
from usecases.context import Context
from usecases.errors import Conflict, NotFound, Rejected


def register_community(session: Session, cmd: c.RegisterCommunity, *, actor: Actor, ctx: Context) -> list[Event]:
    actor.require("city")
    if session.get(Community, cmd.community_id):
        raise Conflict("community_id", f"already registered: {cmd.community_id}")
    session.add(Community(id=cmd.community_id, name=cmd.name, street=cmd.street, district=cmd.district,
                          city=cmd.city))
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="community.register",
          subject=cmd.community_id)
    return []


def register_enterprise(session: Session, cmd: c.RegisterEnterprise, *, actor: Actor, ctx: Context) -> list[Event]:
    actor.require("city", "coordinator")
    problem = check_uscc(cmd.uscc)
    if problem:
        raise Rejected("uscc", problem)
    if session.get(Enterprise, cmd.enterprise_id):
        raise Conflict("enterprise_id", f"already registered: {cmd.enterprise_id}")
    session.add(Enterprise(id=cmd.enterprise_id, name=cmd.name, uscc=cmd.uscc))
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="enterprise.register",
          subject=cmd.enterprise_id)
    return []


def register_product(session: Session, cmd: c.RegisterProduct, *, actor: Actor, ctx: Context) -> list[Event]:
    actor.require("city", "coordinator", "enterprise")
    if session.get(Product, cmd.product_code):
        raise Conflict("product_code", f"already registered: {cmd.product_code}")
    if cmd.min_lot_size > cmd.lot_size:
        raise Rejected("min_lot_size", "must not exceed lot_size")
    session.add(Product(code=cmd.product_code, **cmd.model_dump(exclude={"product_code"})))
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="product.register",
          subject=cmd.product_code)
    return []


def register_site(session: Session, cmd: c.RegisterSite, *, actor: Actor, ctx: Context) -> list[Event]:
    actor.require("coordinator", "city")
    _community(session, cmd.community_id)
    actor.require_community(cmd.community_id)
    if session.get(Site, cmd.site_id):
        raise Conflict("site_id", f"already registered: {cmd.site_id}")
    _check_weekly("opening_hours", cmd.opening_hours)
    session.add(Site(id=cmd.site_id, **cmd.model_dump(exclude={"site_id"})))
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="site.register", subject=cmd.site_id)
    return [SiteRegistered(**ctx.envelope(cmd.community_id), site_id=cmd.site_id, kind=cmd.kind, seats=cmd.seats)]


def register_resident(session: Session, cmd: c.RegisterResident, *, actor: Actor, ctx: Context,
                      password_hash: str | None = None) -> list[Event]:
    actor.require("coordinator")
    _community(session, cmd.community_id)
    actor.require_community(cmd.community_id)
    if session.get(Resident, cmd.resident_id):
        raise Conflict("resident_id", f"already registered: {cmd.resident_id}")
    _check_weekly("availability", cmd.availability)
    for site_id in cmd.reachable_site_ids:
        site = session.get(Site, site_id)
        if site is None or site.community_id != cmd.community_id:
            raise Rejected("reachable_site_ids", f"unknown site in this community: {site_id}")
    for skill, level in cmd.skills.items():
        if not 0 <= level <= 10:
            raise Rejected(f"skills.{skill}", "level must be between 0 and 10")
    session.add(Resident(id=cmd.resident_id, registered_at=ctx.now,
                         **cmd.model_dump(exclude={"resident_id", "password"})))
    if password_hash:
        session.add(User(username=cmd.resident_id, password_hash=password_hash, role="resident",
                         display_name=cmd.name, resident_id=cmd.resident_id, community_ids=[cmd.community_id]))
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="resident.register",
          subject=cmd.resident_id)
    return [ResidentRegistered(**ctx.envelope(cmd.community_id), resident_id=cmd.resident_id,
                               work_mode=cmd.work_mode, skills=cmd.skills, priority_group=cmd.priority_group)]


def update_availability(session: Session, resident_id: str, cmd: c.UpdateAvailability, *, actor: Actor,
                        ctx: Context) -> list[Event]:
    resident = session.get(Resident, resident_id)
    if resident is None:
        raise NotFound("resident_id", f"no such resident: {resident_id}")
    actor.require_resident(resident_id, resident.community_id)
    _check_weekly("availability", cmd.availability)
    resident.availability = [list(slot) for slot in cmd.availability]
    session.add(resident)
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="resident.availability",
          subject=resident_id, on_behalf_of=resident_id if actor.on_behalf(resident_id) else None)
    return [AvailabilityChanged(**ctx.envelope(resident.community_id), resident_id=resident_id,
                                availability=list(cmd.availability))]


def _community(session: Session, community_id: str) -> Community:
    community = session.get(Community, community_id)
    if community is None:
        raise NotFound("community_id", f"no such community: {community_id}")
    return community


def _check_weekly(field: str, slots: list[tuple[int, int, int]]) -> None:
    for i, (weekday, start, end) in enumerate(slots):
        if not 0 <= weekday <= 6:
            raise Rejected(f"{field}[{i}]", "weekday must be 0 (Monday) to 6 (Sunday)")
        if not 0 <= start < end <= 24 * 60:
            raise Rejected(f"{field}[{i}]", "start and end minutes must satisfy 0 <= start < end <= 1440")
