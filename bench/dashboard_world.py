"""A small, fully known world for the dashboard's tests and benchmark: a seeded city with work in every state."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import select

from domain.lifecycle.offer import OfferStatus
from schemas import commands as c
from schemas.events.orders import OrderPosted
from schemas.events.work import InspectionRecorded
from services.demo.city import build_city
from services.demo.seed import load_city
from store.db import make_engine, reading, transaction
from store.migrate import upgrade
from store.outbox import record_events
from store.tables import Lot, Offer
from usecases import earn, hard_rules, offers, orders, split, work
from usecases.actors import Actor
from usecases.context import Context
from usecases.execute import execute
from usecases.settings import Settings


@dataclass
class World:
    """What was built, so tests can name the people and the lots they expect to see."""

    url: str
    engine: Engine
    settings: Settings
    phone_residents: dict[str, list[str]] = field(default_factory=dict)  # community -> residents with a login
    phoneless: dict[str, list[str]] = field(default_factory=dict)  # community -> residents without a phone
    order_ent1: str = ""
    order_ent2: str = ""
    worked_lot: str = ""
    worker: str = ""
    offered_lot: str = ""
    offered_to: str = ""
    submission_pending: str = ""
    proxy_lot: str = ""
    proxy_for: str = ""


def actor(username: str, role: str, **scope: Any) -> Actor:
    return Actor(username=username, role=role, **scope)  # type: ignore[arg-type]


COORD1 = actor("coord1", "coordinator", community_ids=frozenset({"comm-001"}))
COORD2 = actor("coord2", "coordinator", community_ids=frozenset({"comm-002"}))
ENT1 = actor("ent1", "enterprise", enterprise_id="ent-01")
ENT2 = actor("ent2", "enterprise", enterprise_id="ent-02")
BY_HAND_REASON = "演示数据：按指定居民派单"
SHANGHAI = ZoneInfo("Asia/Shanghai")
MIDNIGHT_MARGIN_S = 120.0


def wait_out_a_shanghai_midnight(margin_s: float = MIDNIGHT_MARGIN_S, *,
                                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                                 sleep: Callable[[float], None] = time.sleep) -> float:
    """Sleep until one second past the next midnight in Asia/Shanghai if it is less than `margin_s` seconds away;
    returns the seconds slept (0.0 when it is further).

    The world is stamped by the real clock (use cases run through execute(), which reads Context.live) and the pages
    read "today", "this period", "this month" by the real clock too (dashboard.data.now). A world built just before
    a Shanghai midnight (16:00 UTC) and read just after it had its work in yesterday, the last period or the last
    month, and tests that expect it "this month" failed. Every day, week, half-month period, month and year in
    Shanghai begins at midnight, so a world built at least `margin_s` before one is read on its own side of it by
    any test that finishes within `margin_s`.
    """
    now = clock().astimezone(SHANGHAI)
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), tzinfo=SHANGHAI)
    left = (midnight - now).total_seconds()
    if left >= margin_s:
        return 0.0
    sleep(left + 1.0)
    return left + 1.0


def dispatch_by_hand(w: World, lot_id: str, resident_id: str, coordinator: Actor) -> None:
    """Hand a lot to a chosen resident whatever their skills and hours: the coordinator overrides exactly the
    rules it breaks (the dispatch-check the dashboard shows), with a reason."""
    with reading(w.engine) as session:
        broken = [b["rule"] for b in hard_rules.preview(session, lot_id, resident_id, actor=coordinator,
                                                           now=Context.live(w.settings).now)]
    cmd = c.DispatchLot(resident_id=resident_id, override_rules=broken,  # type: ignore[arg-type]
                        override_reason=BY_HAND_REASON if broken else None)
    execute(w.engine, w.settings, offers.dispatch_lot, lot_id, cmd, actor=coordinator)


def put_in_work(w: World, lot_id: str, resident_id: str, coordinator: Actor, *, pieces: int | None = None,
                answered_by: Actor | None = None) -> int:
    """The lot's pending offer accepted (by `answered_by`, else the coordinator on her behalf) and `pieces` of
    material issued to her (all the lot's by default): she can hand in. Returns the pieces issued."""
    with reading(w.engine) as session:
        offer_id = session.exec(select(Offer.id).where(Offer.lot_id == lot_id,
                                                       Offer.status == OfferStatus.PENDING)).one()
        lot = session.get(Lot, lot_id)
        assert lot is not None
        issued = lot.pieces if pieces is None else pieces
    execute(w.engine, w.settings, offers.answer_offer, offer_id, c.AnswerOffer(decision="accept"),
            actor=answered_by or coordinator)
    if issued:  # 0: accepted only, the material to be issued by the test
        execute(w.engine, w.settings, work.issue_materials,
                c.IssueMaterials(lot_id=lot_id, resident_id=resident_id, pieces=issued), actor=coordinator)
    return issued


def build_world(url: str, *, settings: Settings | None = None) -> World:
    """Migrate and seed the demo city; ent1's order worked and inspected in comm-001, an offer pending in comm-002.

    Waits out a Shanghai midnight less than two minutes away first (see wait_out_a_shanghai_midnight): the world is
    stamped, and read by the pages, at the real clock."""
    wait_out_a_shanghai_midnight()
    settings = settings or Settings(DATABASE_URL=url)
    upgrade(url)
    engine = make_engine(url)
    plan = build_city()
    load_city(engine, settings, plan)
    w = World(url=url, engine=engine, settings=settings)
    for r in plan.residents:
        bucket = w.phone_residents if r.password else w.phoneless
        bucket.setdefault(r.community_id, []).append(r.resident_id)
    w.order_ent1 = _post(w, ENT1, "ent-01", ["comm-001", "comm-002"], quantity=180)
    w.order_ent2 = _post(w, ENT2, "ent-02", ["comm-002"], quantity=60)
    lots1 = _lots(w, w.order_ent1)
    w.worked_lot, w.worker = lots1["comm-001"][0], w.phone_residents["comm-001"][0]
    _work(w, w.worked_lot, w.worker, passed=45, rejected=5, defects=["LOOSE"])
    w.submission_pending = _submit(w, w.worked_lot, w.worker, pieces=10)
    w.offered_lot, w.offered_to = lots1["comm-002"][0], w.phone_residents["comm-002"][0]
    dispatch_by_hand(w, w.offered_lot, w.offered_to, COORD2)
    w.proxy_lot, w.proxy_for = lots1["comm-001"][1], w.phoneless["comm-001"][0]
    dispatch_by_hand(w, w.proxy_lot, w.proxy_for, COORD1)
    return w


def _post(w: World, who: Actor, enterprise_id: str, communities: list[str], *, quantity: int) -> str:
    now = Context.live(w.settings).now
    cmd = c.PostOrder(enterprise_id=enterprise_id, product_code="BEAD-01", quantity=quantity, piece_rate_fen=125,
                      due_at=now + timedelta(days=14), eligible_community_ids=communities,
                      pickup_site_id=f"{communities[0]}-site-1")
    order, events = execute(w.engine, w.settings, orders.post_order, cmd, actor=who)
    with transaction(w.engine) as session:
        posted = [e for e in events if isinstance(e, OrderPosted)]
        record_events(session, split.split_order(session, posted[0], Context.live(w.settings, producer="worker")))
    return str(order.id)


def _lots(w: World, order_id: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    with transaction(w.engine) as session:
        for lot in session.exec(select(Lot).where(Lot.order_id == order_id).order_by(Lot.lot_no)):
            out.setdefault(lot.community_id, []).append(lot.id)
    return out


def _work(w: World, lot_id: str, resident_id: str, *, passed: int, rejected: int, defects: list[str]) -> None:
    """Dispatch, accept, issue, submit and inspect one lot, then post its earnings as the worker would."""
    dispatch_by_hand(w, lot_id, resident_id, COORD1)
    resident = actor(resident_id, "resident", resident_id=resident_id, community_ids=frozenset({"comm-001"}))
    with transaction(w.engine) as session:
        offer_id = session.exec(select(Offer.id).where(Offer.lot_id == lot_id,
                                                       Offer.status == OfferStatus.PENDING)).one()
    execute(w.engine, w.settings, offers.answer_offer, offer_id, c.AnswerOffer(decision="accept"), actor=resident)
    execute(w.engine, w.settings, work.issue_materials, c.IssueMaterials(lot_id=lot_id, resident_id=resident_id,
                                                                          pieces=passed + rejected + 10), actor=COORD1)
    sub_id = _submit(w, lot_id, resident_id, pieces=passed + rejected)
    _, events = execute(w.engine, w.settings, work.record_inspection, c.RecordInspection(
        submission_id=sub_id, passed=passed, rejected=rejected, defect_codes=defects), actor=COORD1)
    with transaction(w.engine) as session:
        for event in events:
            if isinstance(event, InspectionRecorded):
                record_events(session, earn.post_earnings(session, event, Context.live(w.settings, "worker")))


def _submit(w: World, lot_id: str, resident_id: str, *, pieces: int) -> str:
    resident = actor(resident_id, "resident", resident_id=resident_id, community_ids=frozenset({"comm-001"}))
    cmd = c.SubmitOutput(lot_id=lot_id, pieces=pieces)
    sub, _ = execute(w.engine, w.settings, work.submit_output, resident_id, cmd, actor=resident)
    return str(sub.id)
