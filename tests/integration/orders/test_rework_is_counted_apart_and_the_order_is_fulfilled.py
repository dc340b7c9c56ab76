"""Fault 3 of issue 14: pieces handed in again after rework are counted apart from first hand-ins, so an order
never reports more pieces handed in than it holds, and it is fulfilled once all its lots are done."""

from __future__ import annotations

from lots_world import ENTERPRISE, LotsWorld, coordinator_of

from schemas import commands as c
from store.db import reading
from usecases import registry, work
from usecases.queries import reads
from usecases.queries.names import order_names

NET = "NET-100"  # lots of 100 pieces


def _net_product(world: LotsWorld) -> None:
    world.run(registry.register_product, c.RegisterProduct(
        product_code=NET, name="网兜", skill="beading", standard_minutes_per_piece=0.6, defect_codes=["LOOSE"],
        lot_size=100, min_lot_size=50))


def _inspect(world: LotsWorld, cid: str, submission_id: str, passed: int, rejected: int = 0,
             rework: bool = False) -> None:
    world.run(work.record_inspection, c.RecordInspection(
        submission_id=submission_id, passed=passed, rejected=rejected, defect_codes=["LOOSE"] if rejected else [],
        rework=rework), actor=coordinator_of(cid))


def _hand_in(world: LotsWorld, cid: str, lot_id: str, resident_id: str, pieces: int) -> str:
    sub, _ = world.run(work.submit_output, resident_id, c.SubmitOutput(lot_id=lot_id, pieces=pieces),
                       actor=coordinator_of(cid))
    return str(sub.id)


def test_rework_handed_in_again_is_not_counted_twice_and_the_order_is_fulfilled(world: LotsWorld) -> None:
    cid = "rw"
    world.crew(cid, n=1, max_open_lots=1)
    _net_product(world)
    order_id = world.order(cid, quantity=100, product=NET)
    world.pump()
    [offer] = world.offers(status="pending")
    world.answer(offer, "accept")
    resident, lot_id = offer.resident_id, offer.lot_id
    world.run(work.issue_materials, c.IssueMaterials(lot_id=lot_id, resident_id=resident, pieces=100),
              actor=coordinator_of(cid))

    first = _hand_in(world, cid, lot_id, resident, 80)
    _inspect(world, cid, first, passed=70, rejected=10, rework=True)
    again = _hand_in(world, cid, lot_id, resident, 30)  # the 10 reworked and 20 new
    _inspect(world, cid, again, passed=30)

    [lot] = world.lots(order_id)
    assert (lot.pieces_submitted, lot.pieces_resubmitted, lot.pieces_passed, lot.status) == (100, 10, 100, "done")
    with reading(world.engine) as session:
        [view] = reads.orders(session, ENTERPRISE, order_id=order_id)
    assert (view.quantity, view.pieces_submitted, view.pieces_resubmitted, view.pieces_passed) == (100, 100, 10, 100)
    assert view.status == "fulfilled"
    assert world.order_statuses(order_id) == ["in_progress", "fulfilled"]
    world.pump()  # the notifier acts on the order's end: the enterprise and the coordinator hear of it
    with reading(world.engine) as session:  # named as the enterprise's page names it, not by its id
        name = order_names(session, [order_id])[order_id]
    for recipient in (f"enterprise:{ENTERPRISE.enterprise_id}", f"coordinator:{cid}"):
        assert any(f"订单 {name}" in text and "已完成" in text for text in world.inbox(recipient)), recipient
    assert world.audit() == []


def test_an_order_is_fulfilled_only_when_its_last_lot_is_done_finally_rejected_pieces_included(
        world: LotsWorld) -> None:
    cid = "ff"
    world.crew(cid, n=2, max_open_lots=1)
    order_id = world.order(cid, quantity=20)  # two lots of 10
    world.pump()
    offers = world.offers(status="pending")
    assert len(offers) == 2
    for offer in offers:
        world.answer(offer, "accept")
        world.run(work.issue_materials, c.IssueMaterials(lot_id=offer.lot_id, resident_id=offer.resident_id,
                                                         pieces=10), actor=coordinator_of(cid))
    done_first, done_last = offers

    _inspect(world, cid, _hand_in(world, cid, done_first.lot_id, done_first.resident_id, 10), passed=10)
    assert world.lots(order_id)[0].status == "done" or world.lots(order_id)[1].status == "done"
    with reading(world.engine) as session:
        assert reads.orders(session, ENTERPRISE, order_id=order_id)[0].status == "in_progress"

    # Two pieces rejected for good: delivered and failed, not made again; the lot and so the order are done.
    _inspect(world, cid, _hand_in(world, cid, done_last.lot_id, done_last.resident_id, 10), passed=8, rejected=2)
    assert {lot.status for lot in world.lots(order_id)} == {"done"}
    with reading(world.engine) as session:
        [view] = reads.orders(session, ENTERPRISE, order_id=order_id)
    assert (view.status, view.pieces_passed, view.pieces_rejected) == ("fulfilled", 18, 2)
    assert world.order_statuses(order_id) == ["in_progress", "fulfilled"]
    assert world.audit() == []
