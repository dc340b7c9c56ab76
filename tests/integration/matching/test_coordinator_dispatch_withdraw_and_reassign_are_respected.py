"""A coordinator's hand is final: dispatch replaces the matcher's offer, withdraw and reassign work."""

from __future__ import annotations

from lots_world import LotsWorld, coordinator_of

from schemas import commands as c
from usecases import offers as offer_uc


def test_dispatch_replaces_the_matchers_offer_and_the_matcher_leaves_it_alone(world: LotsWorld) -> None:
    cid, crew = "dp", world.crew("dp")
    order_id = world.order(cid, quantity=10)
    world.pump()
    [matched] = world.offers(status="pending")
    chosen = next(r for r in crew if r != matched.resident_id)
    coordinator = coordinator_of(cid)

    world.run(offer_uc.dispatch_lot, matched.lot_id, c.DispatchLot(resident_id=chosen), actor=coordinator)
    world.pump()
    [pending] = world.offers(status="pending")
    assert (pending.resident_id, pending.dispatched_by) == (chosen, coordinator.username)
    assert [o.status for o in world.offers(lot_id=matched.lot_id)] == ["withdrawn", "pending"]
    assert any(world.code(matched.lot_id) in text for text in world.inbox(f"resident:{matched.resident_id}"))
    assert pending.explanation_zh and pending.explanation_en

    world.answer(pending, "accept")
    world.run(offer_uc.withdraw_lot, matched.lot_id, c.WithdrawOffer(reason="人手调整"), actor=coordinator)
    world.pump()
    [rematched] = world.offers(status="pending")
    third = (set(crew) - {matched.resident_id, chosen}).pop()
    assert rematched.resident_id == third, "after a withdrawal the lot goes to someone not yet tried"
    [lot] = world.lots(order_id)
    assert lot.resident_id is None and chosen in lot.excluded_resident_ids

    # Reassign: the coordinator may send it back to someone the matcher would no longer pick.
    world.run(offer_uc.dispatch_lot, lot.id, c.DispatchLot(resident_id=matched.resident_id), actor=coordinator)
    world.pump()
    [final] = world.offers(status="pending")
    assert final.resident_id == matched.resident_id
    assert {o.status for o in world.offers() if o.id != final.id} == {"withdrawn"}
    assert world.hard_rule_breaches() == []
