"""A small registered city for order, lot and matching tests, driven through the use cases and `pump`.

Everything goes through the same use cases the API runs, each in one transaction with its events
in the outbox, and `usecases.inline.pump` delivers the events to the processors (no broker).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from domain.matching import rules
from domain.matching.availability import available_minutes, local_minutes, week_windows
from domain.orders.uscc import make_uscc_from_parts
from schemas import commands as c
from schemas.envelope import Event
from store.db import reading, transaction
from store.outbox import record_events
from store.tables import Lot, MaterialIssue, Notification, Offer, Order, OutboxEvent, Product, Resident
from usecases import offers as offer_uc
from usecases import orders as order_uc
from usecases import registry
from usecases.actors import SYSTEM, Actor
from usecases.auth import create_user
from usecases.context import Context
from usecases.inline import pump
from usecases.invariants import check
from usecases.settings import Settings

PASSWORD = "test-pass-1"
ENTERPRISE_ID = "ent-a"
USCC = make_uscc_from_parts(authority="9", kind="1", division="310101", org_body8="71000042")
PRODUCT = "BEAD-T"
MINUTES_PER_PIECE = 6.0  # a 10-piece lot is one hour of work
FAIR_RATE_FEN = 300  # 30 yuan an hour at standard speed: above Shanghai's 25
ALL_WEEK = [(d, 0, 24 * 60) for d in range(7)]
ENTERPRISE = Actor(username="ent-a-user", role="enterprise", enterprise_id=ENTERPRISE_ID)
HOLDING = ("accepted", "in_work")
TZ = "Asia/Shanghai"


def coordinator_of(community_id: str) -> Actor:
    return Actor(username=f"coord-{community_id}", role="coordinator", community_ids=frozenset({community_id}))


@dataclass
class LotsWorld:
    """One database with an enterprise, a product (10-piece lots) and communities added on demand."""

    engine: Engine
    settings: Settings
    cursor: int = 0
    communities: list[str] = field(default_factory=list)

    def ctx(self, at: datetime | None = None) -> Context:
        return Context(now=at or datetime.now(UTC), settings=self.settings, producer="test")

    def run(self, use_case: Callable[..., Any], *args: Any, actor: Actor = SYSTEM, at: datetime | None = None,
            **kwargs: Any) -> Any:
        """One use case in one transaction with its events in the outbox, as the API's execute() does."""
        with transaction(self.engine) as session:
            result = use_case(session, *args, actor=actor, ctx=self.ctx(at), **kwargs)
            events = result[1] if isinstance(result, tuple) else result
            record_events(session, [e for e in events if isinstance(e, Event)])
        return result

    def pump(self) -> None:
        """Deliver every new outbox event to the processors until nothing more happens."""
        self.cursor = pump(self.engine, self.settings, after_id=self.cursor)

    def community(self, community_id: str, *, seats: int = 10, city: str = "shanghai", division: str = "310101") -> str:
        """A community with one micro-factory `<community>-site` and a coordinator sign-in (上海市黄浦区 by default)."""
        self.run(registry.register_community, c.RegisterCommunity(
            community_id=community_id, name=community_id, street="外滩街道", district="黄浦区", city=city,
            division=division))
        self.run(registry.register_site, c.RegisterSite(
            site_id=f"{community_id}-site", community_id=community_id, name="微工厂", seats=seats,
            opening_hours=ALL_WEEK))
        with transaction(self.engine) as session:
            create_user(session, username=f"coord-{community_id}", password=PASSWORD, role="coordinator",
                        community_ids=[community_id])
        self.communities.append(community_id)
        return community_id

    def crew(self, community_id: str, n: int = 3, **resident: Any) -> list[str]:
        """A community with n residents `<community>-0` … `<community>-(n-1)`, alike in everything else."""
        self.community(community_id)
        return [self.resident(f"{community_id}-{i}", community_id, **resident) for i in range(n)]

    def resident(self, resident_id: str, community_id: str, *, level: int | None = 2, skill: str = "beading",
                 availability: list[tuple[int, int, int]] | None = None, max_open_lots: int = 2,
                 work_mode: str = "either", login: bool = False) -> str:
        self.run(registry.register_resident, c.RegisterResident(
            resident_id=resident_id, community_id=community_id, name=f"居民{resident_id[-3:]}",
            work_mode=work_mode, skills={skill: level} if level is not None else {},  # type: ignore[arg-type]
            availability=ALL_WEEK if availability is None else availability,
            reachable_site_ids=[f"{community_id}-site"], max_open_lots=max_open_lots))
        if login:
            with transaction(self.engine) as session:
                create_user(session, username=resident_id, password=PASSWORD, role="resident",
                            resident_id=resident_id, community_ids=[community_id])
        return resident_id

    def order(self, community_id: str, *, quantity: int = 10, rate_fen: int = FAIR_RATE_FEN, min_level: int = 1,
              due_in: timedelta = timedelta(days=5), take_home: bool = True, product: str = PRODUCT) -> str:
        order, _ = self.run(order_uc.post_order, c.PostOrder(
            enterprise_id=ENTERPRISE_ID, product_code=product, quantity=quantity, piece_rate_fen=rate_fen,
            due_at=datetime.now(UTC) + due_in, eligible_community_ids=[community_id],
            pickup_site_id=f"{community_id}-site", take_home_allowed=take_home, min_level=min_level),
            actor=ENTERPRISE)
        return str(order.id)

    def answer(self, offer: Offer, decision: str) -> None:
        self.run(offer_uc.answer_offer, offer.id, c.AnswerOffer(decision=decision),  # type: ignore[arg-type]
                 actor=coordinator_of(offer.community_id))

    def expire(self, at: datetime) -> list[Event]:
        with transaction(self.engine) as session:
            events = offer_uc.expire_offers(session, ctx=self.ctx(at))
            record_events(session, events)
        return events

    def offers(self, *, status: str | None = None, lot_id: str | None = None) -> list[Offer]:
        with reading(self.engine) as session:
            stmt = select(Offer).order_by(col(Offer.offered_at), col(Offer.id))
            if status:
                stmt = stmt.where(Offer.status == status)
            if lot_id:
                stmt = stmt.where(Offer.lot_id == lot_id)
            return list(session.exec(stmt).all())

    def order_statuses(self, order_id: str) -> list[str]:
        """The statuses announced for an order (OrderStatusChanged in the outbox), in order."""
        with reading(self.engine) as session:
            rows = session.exec(select(OutboxEvent.payload).where(OutboxEvent.type == "order.status_changed")
                                .order_by(col(OutboxEvent.id))).all()
        return [p["status"] for p in map(json.loads, rows) if p["order_id"] == order_id]

    def audit(self) -> list[dict[str, Any]]:
        """Every invariant `microfactory audit` finds broken in this database (empty when all hold)."""
        return [v.as_dict() for v in check(self.engine)[0]]

    def lots(self, order_id: str) -> list[Lot]:
        with reading(self.engine) as session:
            return list(session.exec(select(Lot).where(Lot.order_id == order_id).order_by(col(Lot.lot_no))).all())

    def code(self, lot_id: str) -> str:
        """The lot's short code, which messages name it by (never its id)."""
        with reading(self.engine) as session:
            lot = session.get(Lot, lot_id)
            assert lot is not None and lot.short_code, lot_id
            return lot.short_code

    def inbox(self, recipient: str) -> list[str]:
        with reading(self.engine) as session:
            return list(session.exec(select(Notification.text).where(
                Notification.recipient == recipient, Notification.channel == "inbox")
                .order_by(col(Notification.id))).all())

    def hard_rule_breaches(self) -> list[str]:
        """Every broken invariant of offers and lots in the database, by an independent reading of the rows."""
        with reading(self.engine) as session:
            offers = session.exec(select(Offer)).all()
            lots = {x.id: x for x in session.exec(select(Lot)).all()}
            orders = {o.id: o for o in session.exec(select(Order)).all()}
            residents = {r.id: r for r in session.exec(select(Resident)).all()}
            product = session.get(Product, PRODUCT)
            issued = Counter[str]()
            for issue in session.exec(select(MaterialIssue)).all():
                issued[issue.lot_id] += issue.pieces
        assert product is not None
        return breaches(offers, lots, orders, residents, issued, product)


def breaches(offers: list[Offer], lots: dict[str, Lot], orders: dict[str, Order], residents: dict[str, Resident],
             issued: Counter[str], product: Product) -> list[str]:
    """The hard rules checked on rows: one live offer per lot, no over-issue, skill, time, lot limit, wording."""
    found: list[str] = []
    pending_per_lot = Counter(o.lot_id for o in offers if o.status == "pending")
    found += [f"{lot_id}: {n} pending offers at once" for lot_id, n in pending_per_lot.items() if n > 1]
    committed: dict[str, int] = defaultdict(int)
    for o in offers:
        if o.status == "pending":
            committed[lots[o.lot_id].order_id] += o.pieces
    for lot in lots.values():
        committed[lot.order_id] += issued[lot.id]
    found += [f"{oid}: {n} pieces offered + issued of {orders[oid].quantity}"
              for oid, n in committed.items() if n > orders[oid].quantity]
    load = Counter(o.resident_id for o in offers if o.status == "pending")
    load.update(lot.resident_id for lot in lots.values() if lot.status in HOLDING and lot.resident_id)
    found += [f"{rid}: {n} lots open, limit {residents[rid].max_open_lots}"
              for rid, n in load.items() if n > residents[rid].max_open_lots]
    for o in offers:
        lot, resident = lots[o.lot_id], residents[o.resident_id]
        order = orders[lot.order_id]
        if not (o.explanation_zh and o.explanation_en and any("\u4e00" <= ch <= "\u9fff" for ch in o.explanation_zh)):
            found.append(f"{o.id}: missing a Chinese or English explanation")
        if o.override_rules and o.override_reason:  # a coordinator overrode the rules by name, with a reason
            continue
        if int(resident.skills.get(product.skill, -1)) < order.min_level:
            found.append(f"{o.id}: {o.resident_id} lacks {product.skill} level {order.min_level}")
        if resident.community_id != lot.community_id:
            found.append(f"{o.id}: offered outside the resident's community")
        windows = week_windows(tuple((int(d), int(a), int(b)) for d, a, b in resident.availability))
        free = available_minutes(windows, local_minutes(o.offered_at, TZ), local_minutes(lot.due_at, TZ))
        if lot.pieces * product.standard_minutes_per_piece > free + rules.EPSILON_MINUTES:
            found.append(f"{o.id}: {o.resident_id} has {free:.0f} free minutes before it is due, needs more")
    return found


def make_world(engine: Engine, settings: Settings) -> LotsWorld:
    """The enterprise (with a sign-in) and the product every test here uses; communities come per test."""
    world = LotsWorld(engine, settings)
    world.run(registry.register_enterprise, c.RegisterEnterprise(enterprise_id=ENTERPRISE_ID, name="甲企业", uscc=USCC))
    world.run(registry.register_product, c.RegisterProduct(
        product_code=PRODUCT, name="串珠", skill="beading", standard_minutes_per_piece=MINUTES_PER_PIECE,
        defect_codes=["LOOSE"], lot_size=10, min_lot_size=5))
    with transaction(engine) as session:
        create_user(session, username=ENTERPRISE.username, password=PASSWORD, role="enterprise",
                    enterprise_id=ENTERPRISE_ID)
    return world


def sign_in(client: Any, username: str) -> dict[str, str]:
    """Bearer headers for a sign-in made by this world (all share PASSWORD)."""
    reply = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert reply.status_code == 200, reply.text
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}
