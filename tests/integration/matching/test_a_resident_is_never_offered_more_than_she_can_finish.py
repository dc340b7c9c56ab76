"""Issue 14 fault 1 on the live database: pending offers count as committed work, and accepting checks again.

A resident works at home three hours a day; a product takes 4 standard minutes a piece; an order of 600 pieces
comes in lots of 150 due in 5 days. A lot is 600 minutes of her 900 before the due date: one lot, not two.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from lots_world import ENTERPRISE, ENTERPRISE_ID, LotsWorld, coordinator_of

from domain.workload import late
from schemas import commands as c
from store.db import reading, transaction
from store.outbox import record_events
from store.tables import Lot, Offer, Resident
from usecases import match, registry
from usecases import offers as offer_uc
from usecases import orders as order_uc
from usecases.actors import SYSTEM
from usecases.errors import Conflict
from usecases.workload import commitments

NET = "NET-4"
THREE_HOURS_A_DAY = [(d, 9 * 60, 12 * 60) for d in range(7)]
FIVE_DAYS = timedelta(days=5, hours=1)  # the hour lets the order's own capacity check pass; at most 960 minutes


def _home_workers(world: LotsWorld, cid: str, n: int = 2,
                  hours: list[tuple[int, int, int]] = THREE_HOURS_A_DAY) -> list[str]:
    """A community of `n` weavers who work at home three hours a day (few residents: the issue's setting)."""
    world.community(cid)
    world.run(registry.register_product, c.RegisterProduct(
        product_code=NET, name="编织网兜", skill="weaving", standard_minutes_per_piece=4,
        defect_codes=["LOOSE"], lot_size=150, min_lot_size=50))
    return [world.resident(f"{cid}-{i}", cid, skill="weaving", availability=hours, work_mode="home")
            for i in range(n)]


def _order(world: LotsWorld, cid: str, *, quantity: int = 600, due_in: timedelta = FIVE_DAYS) -> str:
    order, _ = world.run(order_uc.post_order, c.PostOrder(
        enterprise_id=ENTERPRISE_ID, product_code=NET, quantity=quantity, piece_rate_fen=200,
        due_at=datetime.now(UTC) + due_in, eligible_community_ids=[cid], pickup_site_id=f"{cid}-site",
        take_home_allowed=True), actor=ENTERPRISE)
    return str(order.id)


def _match_round(world: LotsWorld, cid: str) -> None:
    """One more matching round for the community, as the worker's timer runs it."""
    with transaction(world.engine) as session:
        record_events(session, match.match_community(session, cid, world.ctx()))
    world.pump()


def _pending(world: LotsWorld, resident_id: str) -> list[Offer]:
    return [o for o in world.offers(status="pending") if o.resident_id == resident_id]


def _offer_by_hand(world: LotsWorld, lot_id: str, resident_id: str) -> Offer:
    """An offer written straight through make_offer, as a stale matcher or an old worker could have made it."""
    with transaction(world.engine) as session:
        lot = session.get(Lot, lot_id)
        assert lot is not None
        event = offer_uc.make_offer(session, lot, resident_id, 200, ctx=world.ctx(), explanation=("手工", "by hand"),
                                    reasons=[])
        record_events(session, [event])
    [offer] = world.offers(lot_id=lot_id, status="pending")
    return offer


def _fits(world: LotsWorld, resident_id: str) -> bool:
    with reading(world.engine) as session:
        resident = session.get(Resident, resident_id)
        mine = commitments(session, resident_ids=[resident_id]).get(resident_id, [])
    assert resident is not None
    week = tuple(tuple(slot) for slot in resident.availability)
    return late(mine, weekly_availability=week, now=datetime.now(UTC)) == []  # type: ignore[arg-type]


def test_two_matching_rounds_leave_her_one_pending_offer_not_two(world: LotsWorld) -> None:
    her, neighbour = _home_workers(world, "f1")
    _order(world, "f1")
    world.pump()  # the first round and the ones its offers trigger
    _match_round(world, "f1")  # and a second round on the timer, within the same second
    assert len(_pending(world, her)) == 1
    assert len(_pending(world, neighbour)) == 1
    assert _fits(world, her) and _fits(world, neighbour)


def test_accepting_a_second_offer_made_by_hand_is_refused_naming_the_time_rule(world: LotsWorld) -> None:
    her, _ = _home_workers(world, "f1b")
    order_id = _order(world, "f1b")
    world.pump()
    [first] = _pending(world, her)
    world.answer(first, "accept")
    spare = next(lot for lot in world.lots(order_id) if lot.status in ("open", "escalated"))
    second = _offer_by_hand(world, spare.id, her)

    with pytest.raises(Conflict) as refused:
        world.answer(second, "accept")
    assert refused.value.field == "offer_id"
    assert "time" in refused.value.reason and "交期前做不完" in refused.value.reason
    [still] = world.offers(lot_id=spare.id)
    assert still.status == "pending", "a refused accept changes nothing"


def test_a_dispatched_offer_counts_so_the_matcher_offers_her_nothing_on_top(world: LotsWorld) -> None:
    her, neighbour = _home_workers(world, "f1c", hours=[])
    order_id = _order(world, "f1c", quantity=300)  # two lots; nobody has hours yet: both wait for a coordinator
    world.pump()
    first, second = world.lots(order_id)
    world.run(registry.update_availability, her, c.UpdateAvailability(availability=THREE_HOURS_A_DAY), actor=SYSTEM)
    world.run(offer_uc.dispatch_lot, first.id, c.DispatchLot(resident_id=her), actor=coordinator_of("f1c"))
    world.pump()  # her new hours and the dispatch reach the matcher
    assert [o.lot_id for o in _pending(world, her)] == [first.id]
    [left] = [lot for lot in world.lots(order_id) if lot.id == second.id]
    assert left.status == "escalated"


def test_an_offer_she_can_no_longer_finish_after_her_hours_shrink_cannot_be_accepted(world: LotsWorld) -> None:
    her, _ = _home_workers(world, "f1d")
    _order(world, "f1d")
    world.pump()
    [offer] = _pending(world, her)
    one_hour_a_day = [(d, 9 * 60, 10 * 60) for d in range(7)]  # 300 minutes before the due date, 600 needed
    world.run(registry.update_availability, her, c.UpdateAvailability(availability=one_hour_a_day), actor=SYSTEM)

    with pytest.raises(Conflict, match="time"):
        world.answer(offer, "accept")
    world.answer(offer, "decline")  # declining is always allowed


def test_holding_a_lot_she_may_still_accept_work_due_earlier_that_fits_before_it(world: LotsWorld) -> None:
    her, neighbour = _home_workers(world, "f1e")
    world.run(registry.update_availability, neighbour, c.UpdateAvailability(availability=[]), actor=SYSTEM)
    _order(world, "f1e", quantity=150)  # 600 minutes due in 5 days
    world.pump()
    [held] = _pending(world, her)
    world.answer(held, "accept")
    # 200 minutes due in two days: done first, it fits (200 <= 360) and so does the lot due later (800 <= 900).
    early = _order(world, "f1e", quantity=50, due_in=timedelta(days=2))
    world.pump()
    [lot] = world.lots(early)
    assert lot.status == "escalated", "the matcher is cautious: it counts all held work against every due date"
    world.answer(_offer_by_hand(world, lot.id, her), "accept")
    assert _fits(world, her)
    # But 200 more minutes due in three days would make the lot due in five days late: refused.
    later = _order(world, "f1e", quantity=50, due_in=timedelta(days=3))
    world.pump()
    [third] = world.lots(later)
    with pytest.raises(Conflict, match="time"):
        world.answer(_offer_by_hand(world, third.id, her), "accept")
