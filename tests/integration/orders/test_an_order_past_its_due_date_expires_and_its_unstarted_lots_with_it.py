"""An order whose due date passes with pieces unfinished expires: its lots with no materials out (open,
escalated, offered, accepted) expire, pending and accepted offers are withdrawn and their holders told; lots in
work go on and are still inspected; done lots stay done."""

from __future__ import annotations

from datetime import timedelta

from lots_world import ENTERPRISE, LotsWorld, coordinator_of
from sqlmodel import select

from schemas import commands as c
from store.db import reading, transaction
from store.outbox import record_events
from store.tables import Order
from usecases import orders as order_uc
from usecases import work
from usecases.progress import expire_orders
from usecases.queries.names import order_names


def _expire(world: LotsWorld, at_hours: float) -> list[str]:
    with reading(world.engine) as session:
        due = max(o.due_at for o in session.exec(select(Order)).all())
    with transaction(world.engine) as session:
        events = expire_orders(session, ctx=world.ctx(due + timedelta(hours=at_hours)))
        record_events(session, events)
    return [e.type for e in events]


def test_an_order_expires_with_lots_in_each_state(world: LotsWorld) -> None:
    cid = "ex"
    world.crew(cid, n=4, max_open_lots=1)
    order_id = world.order(cid, quantity=50, due_in=timedelta(days=2))  # five lots of 10: four residents
    world.pump()
    done, in_work, accepted, offered = world.offers(status="pending")
    coordinator = coordinator_of(cid)
    for offer in (done, in_work, accepted):
        world.answer(offer, "accept")
    for offer, pieces in ((done, 10), (in_work, 4)):
        world.run(work.issue_materials, c.IssueMaterials(lot_id=offer.lot_id, resident_id=offer.resident_id,
                                                         pieces=pieces), actor=coordinator)
    sub, _ = world.run(work.submit_output, done.resident_id, c.SubmitOutput(lot_id=done.lot_id, pieces=10),
                       actor=coordinator)
    world.run(work.record_inspection, c.RecordInspection(submission_id=sub.id, passed=10, rejected=0),
              actor=coordinator)
    late, _ = world.run(work.submit_output, in_work.resident_id, c.SubmitOutput(lot_id=in_work.lot_id, pieces=4),
                        actor=coordinator)
    [escalated] = [lot for lot in world.lots(order_id) if lot.status == "escalated"]

    assert _expire(world, at_hours=-1) == []  # not yet due: nothing happens
    kinds = _expire(world, at_hours=1)
    world.pump()

    assert kinds.count("offer.withdrawn") == 2 and "order.status_changed" in kinds
    status = {lot.id: lot.status for lot in world.lots(order_id)}
    assert status == {done.lot_id: "done", in_work.lot_id: "in_work", accepted.lot_id: "expired",
                      offered.lot_id: "expired", escalated.id: "expired"}
    offers = {o.id: o.status for o in world.offers()}
    assert (offers[done.id], offers[in_work.id], offers[accepted.id], offers[offered.id]) == (
        "accepted", "accepted", "withdrawn", "withdrawn")
    for holder in (accepted, offered):
        told = world.inbox(f"resident:{holder.resident_id}")
        assert any(world.code(holder.lot_id) in text and "交期" in text for text in told)
    assert world.offers(status="pending") == [], "an expired order's lots are not offered again"
    with reading(world.engine) as session:  # named as the enterprise's page names it, not by its id
        name = order_names(session, [order_id])[order_id]
    assert any(f"订单 {name}" in text and "已过交期" in text for text in world.inbox("enterprise:ent-a"))

    # The lot in work goes on: its pieces are inspected (and paid); the order stays expired.
    world.run(work.record_inspection, c.RecordInspection(submission_id=late.id, passed=4, rejected=0),
              actor=coordinator)
    assert {lot.id: lot.pieces_passed for lot in world.lots(order_id)}[in_work.lot_id] == 4
    assert world.order_statuses(order_id) == ["in_progress", "expired"]
    assert _expire(world, at_hours=2) == []  # expired once
    assert world.hard_rule_breaches() == []
    assert world.audit() == []


def test_an_order_that_ended_before_it_was_split_gets_no_lots(world: LotsWorld) -> None:
    cid = "es"
    world.crew(cid, n=1)
    order_id = world.order(cid, quantity=10)
    world.run(order_uc.cancel_order, order_id, c.CancelOrder(reason="下错单"), actor=ENTERPRISE)
    world.pump()  # the splitter hears of the posting only now, as after a worker outage
    assert world.lots(order_id) == []
    assert world.order_statuses(order_id) == ["cancelled"]


def test_an_expired_order_whose_lots_were_all_in_work_is_fulfilled_when_they_are_done(world: LotsWorld) -> None:
    cid = "el"
    world.crew(cid, n=1)
    order_id = world.order(cid, quantity=10, due_in=timedelta(days=1))
    world.pump()
    [offer] = world.offers(status="pending")
    world.answer(offer, "accept")
    coordinator = coordinator_of(cid)
    world.run(work.issue_materials, c.IssueMaterials(lot_id=offer.lot_id, resident_id=offer.resident_id, pieces=10),
              actor=coordinator)
    _expire(world, at_hours=1)
    sub, _ = world.run(work.submit_output, offer.resident_id, c.SubmitOutput(lot_id=offer.lot_id, pieces=10),
                       actor=coordinator)
    world.run(work.record_inspection, c.RecordInspection(submission_id=sub.id, passed=10, rejected=0),
              actor=coordinator)
    assert world.order_statuses(order_id) == ["in_progress", "expired", "fulfilled"]  # every piece made, late
    assert world.audit() == []
