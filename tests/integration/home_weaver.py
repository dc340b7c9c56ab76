"""The home weaver of issue 14 and her community, shared by the tests of a resident's plate.

A resident works at home three hours a day; a product takes 4 standard minutes a piece; an order comes in lots of
150 due in 5 days. A lot is 600 minutes of her 900 before the due date: one lot, not two.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from lots_world import ENTERPRISE, ENTERPRISE_ID, LotsWorld

from domain.workload import late
from schemas import commands as c
from store.db import reading, transaction
from store.outbox import record_events
from store.tables import Lot, Offer, Resident
from usecases import match, registry
from usecases import offers as offer_uc
from usecases import orders as order_uc
from usecases.workload import commitments

NET = "NET-4"
THREE_HOURS_A_DAY = [(d, 9 * 60, 12 * 60) for d in range(7)]
FIVE_DAYS = timedelta(days=5, hours=1)  # the hour lets the order's own capacity check pass; at most 960 minutes


def home_workers(world: LotsWorld, cid: str, n: int = 2,
                  hours: list[tuple[int, int, int]] = THREE_HOURS_A_DAY) -> list[str]:
    """A community of `n` weavers who work at home three hours a day (few residents: the issue's setting)."""
    world.community(cid)
    world.run(registry.register_product, c.RegisterProduct(
        product_code=NET, name="编织网兜", skill="weaving", standard_minutes_per_piece=4,
        defect_codes=["LOOSE"], lot_size=150, min_lot_size=50))
    return [world.resident(f"{cid}-{i}", cid, skill="weaving", availability=hours, work_mode="home")
            for i in range(n)]


def order(world: LotsWorld, cid: str, *, quantity: int = 600, due_in: timedelta = FIVE_DAYS) -> str:
    order, _ = world.run(order_uc.post_order, c.PostOrder(
        enterprise_id=ENTERPRISE_ID, product_code=NET, quantity=quantity, piece_rate_fen=200,
        due_at=datetime.now(UTC) + due_in, eligible_community_ids=[cid], pickup_site_id=f"{cid}-site",
        take_home_allowed=True), actor=ENTERPRISE)
    return str(order.id)


def match_round(world: LotsWorld, cid: str) -> None:
    """One more matching round for the community, as the worker's timer runs it."""
    with transaction(world.engine) as session:
        record_events(session, match.match_community(session, cid, world.ctx()))
    world.pump()


def pending(world: LotsWorld, resident_id: str) -> list[Offer]:
    return [o for o in world.offers(status="pending") if o.resident_id == resident_id]


def offer_by_hand(world: LotsWorld, lot_id: str, resident_id: str) -> Offer:
    """An offer written straight through make_offer, as a stale matcher or an old worker could have made it."""
    with transaction(world.engine) as session:
        lot = session.get(Lot, lot_id)
        assert lot is not None
        event = offer_uc.make_offer(session, lot, resident_id, 200, ctx=world.ctx(), explanation=("手工", "by hand"),
                                    reasons=[])
        record_events(session, [event])
    [offer] = world.offers(lot_id=lot_id, status="pending")
    return offer


def fits(world: LotsWorld, resident_id: str) -> bool:
    with reading(world.engine) as session:
        resident = session.get(Resident, resident_id)
        mine = commitments(session, resident_ids=[resident_id]).get(resident_id, [])
    assert resident is not None
    week = tuple(tuple(slot) for slot in resident.availability)
    return late(mine, weekly_availability=week, now=datetime.now(UTC)) == []  # type: ignore[arg-type]
