"""Issue 14 fault 1 on the live database: pending offers count as committed work, and accepting checks again.

A resident works at home three hours a day; a product takes 4 standard minutes a piece; an order of 600 pieces
comes in lots of 150 due in 5 days. A lot is 600 minutes of her 900 before the due date: one lot, not two.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from home_weaver import THREE_HOURS_A_DAY, fits, home_workers, match_round, offer_by_hand, order, pending
from lots_world import LotsWorld, coordinator_of

from schemas import commands as c
from usecases import offers as offer_uc
from usecases import registry
from usecases.actors import SYSTEM
from usecases.errors import Conflict


def test_two_matching_rounds_leave_her_one_pending_offer_not_two(world: LotsWorld) -> None:
    her, neighbour = home_workers(world, "f1")
    order(world, "f1")
    world.pump()  # the first round and the ones its offers trigger
    match_round(world, "f1")  # and a second round on the timer, within the same second
    assert len(pending(world, her)) == 1
    assert len(pending(world, neighbour)) == 1
    assert fits(world, her) and fits(world, neighbour)


def test_accepting_a_second_offer_made_by_hand_is_refused_naming_the_time_rule(world: LotsWorld) -> None:
    her, _ = home_workers(world, "f1b")
    order_id = order(world, "f1b")
    world.pump()
    [first] = pending(world, her)
    world.answer(first, "accept")
    spare = next(lot for lot in world.lots(order_id) if lot.status in ("open", "escalated"))
    second = offer_by_hand(world, spare.id, her)

    with pytest.raises(Conflict) as refused:
        world.answer(second, "accept")
    assert refused.value.field == "offer_id"
    assert "time" in refused.value.reason and "交期前做不完" in refused.value.reason
    [still] = world.offers(lot_id=spare.id)
    assert still.status == "pending", "a refused accept changes nothing"


def test_a_dispatched_offer_counts_so_the_matcher_offers_her_nothing_on_top(world: LotsWorld) -> None:
    her, neighbour = home_workers(world, "f1c", hours=[])
    order_id = order(world, "f1c", quantity=300)  # two lots; nobody has hours yet: both wait for a coordinator
    world.pump()
    first, second = world.lots(order_id)
    world.run(registry.update_availability, her, c.UpdateAvailability(availability=THREE_HOURS_A_DAY), actor=SYSTEM)
    world.run(offer_uc.dispatch_lot, first.id, c.DispatchLot(resident_id=her), actor=coordinator_of("f1c"))
    world.pump()  # her new hours and the dispatch reach the matcher
    assert [o.lot_id for o in pending(world, her)] == [first.id]
    [left] = [lot for lot in world.lots(order_id) if lot.id == second.id]
    assert left.status == "escalated"


def test_an_offer_she_can_no_longer_finish_after_her_hours_shrink_is_withdrawn(world: LotsWorld) -> None:
    her, _ = home_workers(world, "f1d")
    order(world, "f1d")
    world.pump()
    [offer] = pending(world, her)
    one_hour_a_day = [(d, 9 * 60, 10 * 60) for d in range(7)]  # 300 minutes before the due date, 600 needed
    world.run(registry.update_availability, her, c.UpdateAvailability(availability=one_hour_a_day), actor=SYSTEM)

    [withdrawn] = world.offers(lot_id=offer.lot_id)[:1]
    assert withdrawn.status == "withdrawn"
    with pytest.raises(Conflict):
        world.answer(offer, "accept")


def test_holding_a_lot_she_may_still_accept_work_due_earlier_that_fits_before_it(world: LotsWorld) -> None:
    her, neighbour = home_workers(world, "f1e")
    world.run(registry.update_availability, neighbour, c.UpdateAvailability(availability=[]), actor=SYSTEM)
    order(world, "f1e", quantity=150)  # 600 minutes due in 5 days
    world.pump()
    [held] = pending(world, her)
    world.answer(held, "accept")
    # 200 minutes due in two days: done first, it fits (200 <= 360) and so does the lot due later (800 <= 900).
    early = order(world, "f1e", quantity=50, due_in=timedelta(days=2))
    world.pump()
    [lot] = world.lots(early)
    assert lot.status == "escalated", "the matcher is cautious: it counts all held work against every due date"
    world.answer(offer_by_hand(world, lot.id, her), "accept")
    assert fits(world, her)
    # But 200 more minutes due in three days would make the lot due in five days late: refused.
    later = order(world, "f1e", quantity=50, due_in=timedelta(days=3))
    world.pump()
    [third] = world.lots(later)
    with pytest.raises(Conflict, match="time"):
        world.answer(offer_by_hand(world, third.id, her), "accept")
