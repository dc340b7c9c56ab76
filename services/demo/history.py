"""A month of past work for the demo, made through the product's own use cases at past times (issue 15).

A person trying the demo should find a history, not an empty month: trends with points, a city's year to date,
and a coordinator who can close an ended pay period and record payouts. So before the simulator starts, every
working day (Monday to Saturday, Asia/Shanghai) of the last `days` days is lived through the same use cases the
API runs, each with a Context whose clock is that moment of that day:

- 08:30 each enterprise posts small orders (a product's minimum lot, at 50-60 fen a standard minute) for a
  community, while its untaken work stays under a few lots; the matcher (the processors, applied in process
  as `usecases.inline` does, at the same past time) splits them and offers the lots;
- 09:30 the residents accept their offers (those without a sign-in through their coordinator, 代办, as the
  product records it), 10:00 the coordinator issues the materials;
- 15:00 every holder hands in the lot (minutes at their own pace), 16:30 the coordinator inspects it (pieces
  fail at the resident's own defect rate, with one of the product's defect codes) and the earnings are posted
  to the pay period of that day.

Before the first day each community gets a point rule (积分规则: the product's default, one point per ¥10 of piece
pay handed in on time and passing, +50% from a 98% pass rate) and a points shop (积分超市) with everyday goods, so
the month's work earns points a resident can redeem and the 公示 has names and figures.

Then every pay period that ended before the most recent ended one is closed and paid (bank transfer, one
payout per resident); the most recent ended period is left ended and not closed, for the coordinator to close
and pay. Everything is derived from the seed, so the same seed and day give the same history. The events go to
the outbox like any other and are marked applied by each consumer, so the worker that starts later skips them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import col, func, select

from domain.lifecycle.lot import LotStatus
from domain.lifecycle.offer import OfferStatus
from domain.pay import period_by_id
from schemas import commands as c
from schemas.catalogue import consumers_of, decode
from schemas.points import AddShopItem, SetPointRule
from services.demo.city import CityPlan, build_sized_city, demo_order_id
from services.demo.seed import load_city
from store.db import reading, transaction
from store.outbox import record_events
from store.tables import LedgerPeriod, Lot, Offer, Order, OutboxEvent, Submission
from usecases import orders as uc_orders
from usecases import pay as uc_pay
from usecases import shop as uc_shop
from usecases import work as uc_work
from usecases.actors import Actor
from usecases.consumer import apply_batch
from usecases.context import Context
from usecases.offers import answer_offer
from usecases.queries.period_work import community_policy
from usecases.routing import HANDLERS
from usecases.settings import Settings

TZ = ZoneInfo("Asia/Shanghai")
ORDERS_PER_DAY = 6  # per community and working day: a couple of hours each for some of its residents
PRODUCER = "demo-history"
# Each community's points shop (name, price in points, stock): at ¥1 a point, what shops of this kind stock.
SHOP = (("抽纸一提", 20, 30), ("洗衣液 2 斤", 45, 20), ("食用油 5 升", 90, 10), ("大米 10 斤", 120, 10))


@dataclass
class History:
    """What was made: days lived, orders posted, inspections recorded, periods closed and the one left open."""

    days: int = 0
    orders: int = 0
    inspections: int = 0
    closed: list[tuple[str, str]] = field(default_factory=list)  # (community id, period id) closed and paid
    left_to_close: list[tuple[str, str]] = field(default_factory=list)  # ended, not closed: for the coordinator


@dataclass
class _World:
    """The plan's people as use-case actors, and the outbox position already applied."""

    engine: Engine
    settings: Settings
    plan: CityPlan
    rng: random.Random
    applied: int = 0

    def actor(self, username: str) -> Actor:
        user = next(u for u in self.plan.users if u["username"] == username)
        communities: list[str] = list(user.get("community_ids", []))  # type: ignore[call-overload]
        return Actor(username=username, role=user["role"],  # type: ignore[arg-type]
                     enterprise_id=user.get("enterprise_id"),  # type: ignore[arg-type]
                     community_ids=frozenset(communities))

    def resident(self, resident_id: str, community_id: str, logins: set[str]) -> Actor:
        """The resident themselves when they can sign in, else their coordinator on their behalf (代办)."""
        if resident_id in logins:
            return Actor(username=resident_id, role="resident", resident_id=resident_id,
                         community_ids=frozenset({community_id}))
        return self.actor(self.plan.coordinator_of(community_id))

    def run(self, at: datetime, use_case: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """One use case at `at`, committed with its events (as usecases.execute does, on a past clock)."""
        with transaction(self.engine) as session:
            result = use_case(session, *args, ctx=Context(now=at, settings=self.settings, producer=PRODUCER),
                              **kwargs)
            events = result[1] if isinstance(result, tuple) else result
            record_events(session, list(events))
        return result

    def pump(self, at: datetime) -> None:
        """Apply the new outbox events through the processors at `at` (usecases.inline.pump, on a past clock)."""
        for _ in range(100):
            with reading(self.engine) as session:
                rows = session.exec(select(OutboxEvent).where(col(OutboxEvent.id) > self.applied)
                                    .order_by(col(OutboxEvent.id))).all()
            if not rows:
                return
            for consumer, handler in HANDLERS.items():
                events = [decode(r.payload.encode()) for r in rows if consumer in consumers_of(r.topic, r.type)]
                if events:
                    apply_batch(self.engine, consumer, events, handler,
                                Context(now=at, settings=self.settings, producer=f"{PRODUCER}:{consumer}"))
            self.applied = rows[-1].id or self.applied
        raise RuntimeError("demo history: events still flowing after 100 rounds")

    def rows(self, model: type, *where: Any) -> list[Any]:
        with reading(self.engine) as session:
            return list(session.exec(select(model).where(*where)).all())


def seed_history(engine: Engine, settings: Settings, plan: CityPlan, *, logins: set[str],
                 now: datetime | None = None, days: int = 30, seed: int = 7) -> History:
    """Live the last `days` days (Asia/Shanghai, before today) of `plan`'s city, already loaded and with no work.

    `logins` are the residents who can sign in (they act for themselves; the others through their coordinator).
    Returns what was made. Raises what the use cases raise if the plan cannot be worked (a bug, not bad input).
    """
    today = (now or datetime.now(UTC)).astimezone(TZ).date()
    world = _World(engine, settings, plan, random.Random(seed * 104729 + 11))
    with reading(engine) as session:
        world.applied = int(session.exec(select(func.max(OutboxEvent.id))).one() or 0)
    world.pump(_at(today - timedelta(days=days + 1), time(8)))  # the registrations, applied before the month
    _points_and_shop(world, _at(today - timedelta(days=days + 1), time(9)))
    made = History()
    for n in range(days, 0, -1):
        day = today - timedelta(days=n)
        if day.weekday() == 6:  # Sunday off
            continue
        made.days += 1
        made.orders += _post(world, day)
        _accept_and_issue(world, day, logins)
        made.inspections += _hand_in_and_inspect(world, day, logins)
    _settle(world, today, made)
    return made


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=TZ).astimezone(UTC)


def _post(world: _World, day: date) -> int:
    """Each community gets up to ORDERS_PER_DAY small orders from enterprises whose mix it fits."""
    at, posted = _at(day, time(8, 30)), 0
    products = {p.product_code: p for p in world.plan.products}
    posters = world.plan.enterprise_users()
    for community in world.plan.communities:
        untaken = world.rows(Lot, Lot.community_id == community.community_id,
                             col(Lot.status).in_([LotStatus.OPEN, LotStatus.OFFERED, LotStatus.ESCALATED]))
        for _ in range(max(0, ORDERS_PER_DAY - len(untaken))):
            enterprise = world.rng.choice(sorted(world.plan.product_mix))
            product = products[world.rng.choice(world.plan.product_mix[enterprise])]
            cmd = c.PostOrder(order_id=demo_order_id(), enterprise_id=enterprise, product_code=product.product_code,
                              quantity=product.min_lot_size, eligible_community_ids=[community.community_id],
                              piece_rate_fen=int(product.standard_minutes_per_piece * world.rng.randint(50, 60)),
                              due_at=at + timedelta(days=7), pickup_site_id=f"{community.community_id}-site-1")
            world.run(at, uc_orders.post_order, cmd, actor=world.actor(posters[enterprise]))
            posted += 1
    world.pump(at)
    return posted


def _accept_and_issue(world: _World, day: date, logins: set[str]) -> None:
    """Every offer of the morning is accepted; the coordinator issues each accepted lot's materials."""
    at = _at(day, time(9, 30))
    for offer in world.rows(Offer, Offer.status == OfferStatus.PENDING):
        world.run(at, answer_offer, offer.id, c.AnswerOffer(decision="accept"),
                  actor=world.resident(offer.resident_id, offer.community_id, logins))
    world.pump(at)
    at = _at(day, time(10))
    for lot in world.rows(Lot, Lot.status == LotStatus.ACCEPTED):
        world.run(at, uc_work.issue_materials,
                  c.IssueMaterials(lot_id=lot.id, resident_id=lot.resident_id or "", pieces=lot.pieces),
                  actor=world.actor(world.plan.coordinator_of(lot.community_id)))
    world.pump(at)


def _hand_in_and_inspect(world: _World, day: date, logins: set[str]) -> int:
    """Holders hand in their whole lot at their own pace; the coordinator inspects at their defect rate."""
    at = _at(day, time(15))
    products = {p.product_code: p for p in world.plan.products}
    for lot in world.rows(Lot, Lot.status == LotStatus.IN_WORK):
        pieces = lot.pieces_issued - lot.pieces_submitted
        if pieces <= 0 or lot.resident_id is None:
            continue
        traits = world.plan.traits.get(lot.resident_id)
        minutes = _minutes(world, lot, products, pieces) / (traits.speed if traits else 1.0)
        world.run(at, uc_work.submit_output, lot.resident_id,
                  c.SubmitOutput(lot_id=lot.id, pieces=pieces, minutes_spent=max(1, round(minutes))),
                  actor=world.resident(lot.resident_id, lot.community_id, logins))
    world.pump(at)
    at, inspected = _at(day, time(16, 30)), 0
    for sub in world.rows(Submission, Submission.status == "pending"):
        lot = world.rows(Lot, Lot.id == sub.lot_id)[0]
        traits = world.plan.traits.get(sub.resident_id)
        rate = traits.defect_rate if traits else 0.05
        rejected = sum(1 for _ in range(sub.pieces) if world.rng.random() < rate)
        codes = [world.rng.choice(_product(world, lot, products).defect_codes)] if rejected else []
        world.run(at, uc_work.record_inspection,
                  c.RecordInspection(submission_id=sub.id, passed=sub.pieces - rejected, rejected=rejected,
                                     defect_codes=codes),
                  actor=world.actor(world.plan.coordinator_of(lot.community_id)))
        inspected += 1
    world.pump(at)
    return inspected


def _product(world: _World, lot: Lot, products: dict[str, c.RegisterProduct]) -> c.RegisterProduct:
    order = world.rows(Order, Order.id == lot.order_id)[0]
    return products[order.product_code]


def _minutes(world: _World, lot: Lot, products: dict[str, c.RegisterProduct], pieces: int) -> float:
    return pieces * _product(world, lot, products).standard_minutes_per_piece


def _points_and_shop(world: _World, at: datetime) -> None:
    """Each community's coordinator sets the default point rule, in force from `at`, and stocks the shop (SHOP)."""
    for community in world.plan.communities:
        cid = community.community_id
        coordinator = world.actor(world.plan.coordinator_of(cid))
        world.run(at, uc_shop.set_point_rule, SetPointRule(community_id=cid, reason="社区积分规则（默认）"),
                  actor=coordinator)
        for name, price, stock in SHOP:
            world.run(at, uc_shop.add_shop_item, AddShopItem(community_id=cid, name=name, price_points=price,
                                                             stock=stock), actor=coordinator)


def _settle(world: _World, today: date, made: History) -> None:
    """Close and pay every ended period but the latest ended one, which is left for the coordinator."""
    now = _at(today, time(0, 5))
    for community in world.plan.communities:
        cid = community.community_id
        with reading(world.engine) as session:
            policy = community_policy(session, cid)
            period_ids = sorted({p for p in session.exec(
                select(LedgerPeriod.period_id).where(LedgerPeriod.community_id == cid)).all()})
        ended = [p for p in period_ids if period_by_id(p, policy).ends_at <= now]
        if not ended:
            continue
        made.left_to_close.append((cid, ended[-1]))
        coordinator = world.actor(world.plan.coordinator_of(cid))
        for period_id in ended[:-1]:
            ends_at = period_by_id(period_id, policy).ends_at
            world.run(ends_at + timedelta(days=1), uc_pay.close_period,
                      c.ClosePayPeriod(community_id=cid, period_id=period_id), actor=coordinator)
            _pay(world, cid, period_id, ends_at + timedelta(days=2), coordinator)
            made.closed.append((cid, period_id))
        world.pump(now)


def _pay(world: _World, community_id: str, period_id: str, at: datetime, coordinator: Actor) -> None:
    """One bank payout per resident with a positive balance in the closed period."""
    with reading(world.engine) as session:
        owed = session.exec(select(LedgerPeriod.resident_id, LedgerPeriod.amount_fen)
                            .where(LedgerPeriod.community_id == community_id, LedgerPeriod.period_id == period_id)
                            ).all()
    # A reference as a bank's transfer list gives one (her slip and message show it), never the period id and her
    # resident id ('DEMO-2026-11-A-comm-001-r001', new-user trial of 2026-12-01); unique as the payout table asks.
    day = at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y%m%d")
    paid = [(resident_id, int(total or 0)) for resident_id, total in sorted(owed) if int(total or 0) > 0]
    for n, (resident_id, total) in enumerate(paid, start=1):
        world.run(at, uc_pay.record_payout,
                  c.RecordPayout(resident_id=resident_id, period_id=period_id, amount_fen=total, method="bank",
                                 reference=f"BANK-{day}-{community_id.rsplit('-', 1)[-1]}-{n:03d}"),
                  actor=coordinator)


def load_demo(engine: Engine, settings: Settings, *, now: datetime | None = None) -> History:
    """The demo city (city.build_sized_city("demo")) registered in an empty database, then its last month lived
    (seed_history).

    Call it before a worker runs: the worker's timers keep the real clock and would act on the past half-way.
    """
    plan = build_sized_city("demo")  # the city the simulator plays (build_city's, its phoneless able to work)
    load_city(engine, settings, plan)
    return seed_history(engine, settings, plan, now=now,
                        logins={r.resident_id for r in plan.residents if r.password is not None})
