"""A resident's plate holds when two accepts race, when her hours shrink, and when a dispatch overrides rules.

The home weaver of issue 14: three hours a day, 4 minutes a piece, lots of 150 due in five days — 600 of her
900 minutes a lot, so one lot and not two. Found by attacking the running system (PostgreSQL ran two accepts
side by side and both went through; a cut in her hours left offers she could not do pending for hours).
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from home_weaver import THREE_HOURS_A_DAY, fits, home_workers, offer_by_hand, order, pending
from lots_world import LotsWorld, coordinator_of

from schemas import commands as c
from usecases import offers as offer_uc
from usecases import registry
from usecases.actors import SYSTEM
from usecases.errors import Conflict, Rejected

ALL_DAY = [(d, 0, 24 * 60) for d in range(7)]


def test_two_accepts_at_the_same_moment_leave_her_one_lot_not_two(world: LotsWorld) -> None:
    [her] = home_workers(world, "r1", n=1)
    orders = [order(world, "r1", quantity=150) for _ in range(2)]  # two orders: no shared order row to queue on
    world.pump()
    lots = [lot for order_id in orders for lot in world.lots(order_id)]
    offers = [o for o in world.offers(status="pending") if o.resident_id == her]
    offers += [offer_by_hand(world, lot.id, her) for lot in lots if lot.id not in {o.lot_id for o in offers}]
    assert len(offers) == 2, "two pending offers that do not both fit, as a stale matcher could leave them"
    start, results = threading.Barrier(2), []

    def accept(offer: Any) -> None:
        start.wait()
        try:
            world.answer(offer, "accept")
            results.append("accepted")
        except Conflict as refused:
            results.append(refused.field)

    threads = [threading.Thread(target=accept, args=(o,)) for o in offers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(results) == ["accepted", "offer_id"]
    assert len([o for o in world.offers(status="accepted") if o.resident_id == her]) == 1
    [loser] = pending(world, her)  # refused, so unchanged: she declines it and her plate fits
    world.answer(loser, "decline")
    assert fits(world, her) and [v for v in world.audit() if v["check"] == "over_committed"] == []


def test_fewer_hours_release_the_offers_she_can_no_longer_do_and_keep_the_rest(world: LotsWorld) -> None:
    [her] = home_workers(world, "r2", n=1, hours=ALL_DAY)
    order_id = order(world, "r2", quantity=300)
    world.pump()
    assert len(pending(world, her)) == 2  # 1,200 minutes in five days of all-day hours: both fit
    world.run(registry.update_availability, her, c.UpdateAvailability(availability=THREE_HOURS_A_DAY), actor=SYSTEM)
    kept = pending(world, her)
    assert len(kept) == 1 and fits(world, her)
    released = next(lot for lot in world.lots(order_id) if lot.id != kept[0].lot_id)
    [withdrawn] = [o for o in world.offers(lot_id=released.id) if o.resident_id == her]
    assert withdrawn.status == "withdrawn" and withdrawn.decided_by == SYSTEM.username
    assert her in released.excluded_resident_ids and released.status != "offered"
    assert [v for v in world.audit() if v["check"] == "over_committed"] == []


def test_fewer_hours_than_her_accepted_lot_needs_are_refused_until_it_is_reassigned(world: LotsWorld) -> None:
    [her] = home_workers(world, "r3", n=1)
    order_id = order(world, "r3", quantity=150)
    world.pump()
    [offer] = pending(world, her)
    world.answer(offer, "accept")
    one_hour_a_day = [(d, 9 * 60, 10 * 60) for d in range(7)]
    with pytest.raises(Conflict) as refused:
        world.run(registry.update_availability, her, c.UpdateAvailability(availability=one_hour_a_day),
                  actor=SYSTEM)
    [lot] = [lot for lot in world.lots(order_id) if lot.id == offer.lot_id]
    # The lot as she knows it, by its short code, not by its internal id ('lot-…').
    assert refused.value.field == "availability" and lot.short_code and lot.short_code in refused.value.reason
    assert offer.lot_id not in refused.value.reason
    assert fits(world, her), "a refused change changes nothing"


@pytest.mark.parametrize(("override", "reason", "field"), [
    (["skill", "time"], "培训中，由师傅带", "override_rules"),  # time is not broken: nothing to override
    (["skill"], "\u200b", "override_reason"),                # a zero-width space is no reason
    (["skill"], " \u3000\t", "override_reason"),
])
def test_a_dispatch_overrides_only_the_rules_it_breaks_and_only_with_a_visible_reason(
        world: LotsWorld, override: list[str], reason: str, field: str) -> None:
    home_workers(world, "r4", n=1)
    sewer = world.resident("r4-sewer", "r4", skill="sewing", availability=THREE_HOURS_A_DAY, work_mode="home")
    order_id = order(world, "r4", quantity=150)
    world.pump()
    [lot] = world.lots(order_id)
    with pytest.raises(Rejected) as refused:
        world.run(offer_uc.dispatch_lot, lot.id, c.DispatchLot(resident_id=sewer, override_rules=override,
                                                               override_reason=reason),
                  actor=coordinator_of("r4"))
    assert refused.value.field == field
    assert [o for o in world.offers() if o.resident_id == sewer] == []
