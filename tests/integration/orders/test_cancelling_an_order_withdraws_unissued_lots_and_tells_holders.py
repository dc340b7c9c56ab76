"""Cancelling: lots without materials go back (their holders are told); lots in work are finished."""

from __future__ import annotations

from lots_world import ENTERPRISE, LotsWorld, coordinator_of

from schemas import commands as c
from usecases import orders as order_uc
from usecases import work


def test_cancel_withdraws_unissued_lots_notifies_holders_and_keeps_lots_in_work(world: LotsWorld) -> None:
    cid = "cx"
    world.crew(cid, max_open_lots=1)
    order_id = world.order(cid, quantity=30)
    world.pump()
    in_work, accepted, pending = world.offers(status="pending")
    world.answer(in_work, "accept")
    world.answer(accepted, "accept")
    world.run(work.issue_materials, c.IssueMaterials(lot_id=in_work.lot_id, resident_id=in_work.resident_id,
                                                     pieces=4), actor=coordinator_of(cid))

    world.run(order_uc.cancel_order, order_id, c.CancelOrder(reason="客户取消"), actor=ENTERPRISE)
    world.pump()

    status = {lot.id: (lot.status, lot.resident_id) for lot in world.lots(order_id)}
    assert status[in_work.lot_id] == ("in_work", in_work.resident_id)
    assert status[accepted.lot_id] == ("cancelled", None)
    assert status[pending.lot_id] == ("cancelled", None)
    by_id = {o.id: o.status for o in world.offers()}
    assert (by_id[in_work.id], by_id[accepted.id], by_id[pending.id]) == ("accepted", "withdrawn", "withdrawn")
    assert world.offers(status="pending") == [], "a cancelled order's lots must not be offered again"
    for holder in (accepted, pending):
        told = world.inbox(f"resident:{holder.resident_id}")
        assert any(world.code(holder.lot_id) in t and "客户取消" in t for t in told)
    assert not any("收回" in t for t in world.inbox(f"resident:{in_work.resident_id}"))
    assert world.hard_rule_breaches() == []
