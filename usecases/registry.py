"""Use cases for registering communities, enterprises, products, sites and residents."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from sqlmodel import Session, select

from domain.lifecycle.offer import OfferStatus
from domain.orders.uscc import check_uscc
from domain.people import BadIdentity, normalise_id_number, normalise_name, normalise_phone
from domain.text import visible_text
from domain.workload import change_of_hours
from schemas import commands as c
from schemas.envelope import Event
from schemas.events.people import AvailabilityChanged, ResidentRegistered, SiteRegistered
from store.outbox import audit
from store.tables import Community, Enterprise, Offer, Product, Resident, Site, User
from usecases.actors import Actor
from usecases.context import Context
from usecases.errors import Conflict, NotFound, Rejected
from usecases.lookups import locked_resident
from usecases.minimum_wages import resolve_division
from usecases.offers import release_offers
from usecases.queries.names import lot_names
from usecases.workload import commitments


def register_community(session: Session, cmd: c.RegisterCommunity, *, actor: Actor, ctx: Context) -> list[Event]:
    """Register a community (city role); its division must name a county whose minimum wage is known.

    Raises Conflict for an id already registered, Rejected("division") for a division unknown, ambiguous or
    without a minimum-wage figure (usecases.minimum_wages.resolve_division).
    """
    actor.require("city")
    if session.get(Community, cmd.community_id):
        raise Conflict("community_id", f"already registered: {cmd.community_id}")
    division = resolve_division(session, cmd.division)
    session.add(Community(id=cmd.community_id, name=cmd.name, street=cmd.street, district=cmd.district,
                          city=cmd.city, division=division))
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="community.register",
          subject=cmd.community_id, division=division)
    return []


def register_enterprise(session: Session, cmd: c.RegisterEnterprise, *, actor: Actor, ctx: Context) -> list[Event]:
    actor.require("city", "coordinator")
    uscc = unicodedata.normalize("NFKC", cmd.uscc).replace(" ", "").upper()
    problem = check_uscc(uscc)
    if problem:
        raise Rejected("uscc", problem)
    if session.get(Enterprise, cmd.enterprise_id):
        raise Conflict("enterprise_id", f"already registered: {cmd.enterprise_id}")
    holder = session.exec(select(Enterprise).where(Enterprise.uscc == uscc)).first()
    if holder is not None:
        raise Conflict("uscc", f"该统一社会信用代码已登记为企业 {holder.name}（{holder.id}） "
                               f"(already registered as enterprise {holder.id})")
    session.add(Enterprise(id=cmd.enterprise_id, name=cmd.name, uscc=uscc))
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="enterprise.register",
          subject=cmd.enterprise_id)
    return []


def register_product(session: Session, cmd: c.RegisterProduct, *, actor: Actor, ctx: Context) -> list[Event]:
    actor.require("city", "coordinator", "enterprise")
    if session.get(Product, cmd.product_code):
        raise Conflict("product_code", f"already registered: {cmd.product_code}")
    if cmd.min_lot_size > cmd.lot_size:
        raise Rejected("min_lot_size", "最小批量不能大于标准批量（lot_size） / must not exceed lot_size")
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
    if password_hash and session.exec(select(User.id).where(User.username == cmd.resident_id)).first():
        # The resident's sign-in takes the resident id as its user name.
        raise Conflict("resident_id", f"已有同名的登录账号：{cmd.resident_id} / "
                                        f"a sign-in with this name exists already: {cmd.resident_id}")
    _check_weekly("availability", cmd.availability)
    for site_id in cmd.reachable_site_ids:
        site = session.get(Site, site_id)
        if site is None or site.community_id != cmd.community_id:
            raise Rejected("reachable_site_ids", f"unknown site in this community: {site_id}")
    for skill, level in cmd.skills.items():
        if not 0 <= level <= 10:
            raise Rejected(f"skills.{skill}", "level must be between 0 and 10")
    fields = cmd.model_dump(exclude={"resident_id", "password"}) | _one_person(session, cmd, actor)
    session.add(Resident(id=cmd.resident_id, registered_at=ctx.now, **fields))
    if password_hash:
        session.add(User(username=cmd.resident_id, password_hash=password_hash, role="resident",
                         display_name=cmd.name, resident_id=cmd.resident_id, community_ids=[cmd.community_id]))
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="resident.register",
          subject=cmd.resident_id)
    return [ResidentRegistered(**ctx.envelope(cmd.community_id), resident_id=cmd.resident_id,
                               work_mode=cmd.work_mode, skills=cmd.skills, priority_group=cmd.priority_group)]


def _one_person(session: Session, cmd: c.RegisterResident, actor: Actor) -> dict[str, str]:
    """Name, phone and ID number in their one canonical form; a number already registered is a 409.

    The 409 names the resident who holds the number when the caller may see them, and only their
    community's being another one otherwise (a coordinator sees only their own communities).
    """
    person: dict[str, str] = {}
    for field, normalise in (("name", normalise_name), ("phone", normalise_phone),
                             ("id_number", normalise_id_number)):
        raw = getattr(cmd, field)
        if raw is None:
            continue
        try:
            person[field] = normalise(raw)
        except BadIdentity as exc:
            raise Rejected(field, str(exc)) from None
    for field in ("phone", "id_number"):
        if field in person:
            column = getattr(Resident, field)
            holder = session.exec(select(Resident).where(column == person[field])).first()
            if holder is not None and actor.may_see_community(holder.community_id):
                raise Conflict(field, f"已登记为居民 {holder.name}（{holder.id}） (already registered as "
                                      f"resident {holder.id})")
            if holder is not None:
                raise Conflict(field, "该号码已在其他社区登记，请联系该社区核实 (already registered in another "
                                      "community)")
    return person


def update_availability(session: Session, resident_id: str, cmd: c.UpdateAvailability, *, actor: Actor,
                        ctx: Context) -> list[Event]:
    resident = locked_resident(session, resident_id)
    actor.require_resident(resident_id, resident.community_id)
    _check_weekly("availability", cmd.availability)
    released = _fit_plate_to_hours(session, resident, cmd, ctx)
    resident.availability = [list(slot) for slot in cmd.availability]
    session.add(resident)
    audit(session, at=ctx.now, actor=actor.username, role=actor.role, action="resident.availability",
          subject=resident_id, on_behalf_of=resident_id if actor.on_behalf(resident_id) else None)
    return [*released, AvailabilityChanged(**ctx.envelope(resident.community_id), resident_id=resident_id,
                                           availability=list(cmd.availability))]


def _fit_plate_to_hours(session: Session, resident: Resident, cmd: c.UpdateAvailability, ctx: Context) -> list[Event]:
    """New hours that leave accepted lots unfinishable are refused; pending offers they leave no time for go."""
    plate = commitments(session, resident_ids=[resident.id]).get(resident.id, [])
    pending = session.exec(select(Offer).where(Offer.resident_id == resident.id,
                                               Offer.status == OfferStatus.PENDING)).all()
    keep = {o.lot_id for o in pending if "time" in o.override_rules and visible_text(o.override_reason or "")}
    release, late = change_of_hours(plate, before=_week(resident.availability), after=_week(cmd.availability),
                                    now=ctx.now, keep=keep)
    if late:
        named = lot_names(session, [x.lot_id for x in late])  # as she knows them ('网兜-1129-03'), never the id
        lots = "、".join(named[x.lot_id].code for x in late)  # late lots are hers: each is in the store
        raise Conflict("availability", f"新的时间安排完不成已接下的批次 {lots}，请先请社区工作者改派 "
                                       f"(the new hours cannot finish accepted lots {lots}: ask the coordinator "
                                       "to reassign them first)")
    return release_offers(session, resident.id, release, ctx=ctx,
                          reason="居民的可用时间减少，来不及完成 (the resident's hours no longer fit this lot)")


def _week(slots: Sequence[Sequence[int]]) -> tuple[tuple[int, int, int], ...]:
    return tuple((int(day), int(start), int(end)) for day, start, end in slots)


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
