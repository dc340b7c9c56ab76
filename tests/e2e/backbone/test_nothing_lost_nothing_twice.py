"""Through the real broker and worker: the flow completes, and survives kill -9 of the worker and a broker restart."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func
from sqlmodel import select

from services.harness import System, wait_until
from services.reconcile import reconcile
from services.store.db import reading
from services.store.tables import AppliedEvent, LedgerEntry, Lot, OutboxEvent


def post_orders(system: System, n: int) -> list[tuple[str, int]]:
    posted = []
    for i in range(n):
        quantity = 60 + 20 * i
        reply = system.call("POST", "/api/v1/orders", "ent1", json={
            "enterprise_id": "ent-01", "product_code": "NET-02", "quantity": quantity, "piece_rate_fen": 61 + i,
            "due_at": (datetime.now(UTC) + timedelta(days=12)).isoformat(), "eligible_community_ids": ["comm-001"],
            "pickup_site_id": "comm-001-site-1"})
        assert reply.status_code == 201, reply.text
        posted.append((reply.json()["order_id"], quantity))
    return posted


def work_step(system: System, inspections: list[str]) -> None:
    """Everyone does what they can now: accept offers, issue, submit, inspect."""
    for offer in system.call("GET", "/api/v1/offers", "coord1", params={"status": "pending"}).json():
        system.call("POST", f"/api/v1/offers/{offer['id']}/answer", "coord1", json={"decision": "accept"})
    for lot in system.call("GET", "/api/v1/lots", "coord1").json():
        if lot["status"] == "accepted":
            system.call("POST", "/api/v1/materials/issue", "coord1",
                        json={"lot_id": lot["id"], "resident_id": lot["resident_id"], "pieces": lot["pieces"]})
        elif lot["status"] == "in_work":
            left = lot["pieces_issued"] - lot["pieces_passed"] - lot["pieces_rejected"] - lot["pieces_pending"]
            if left:
                system.call("POST", f"/api/v1/residents/{lot['resident_id']}/submissions", "coord1",
                            json={"lot_id": lot["id"], "pieces": min(left, 15)})
    for sub in system.call("GET", "/api/v1/submissions", "coord1").json():
        passed = sub["pieces"] - (1 if sub["pieces"] > 5 else 0)
        reply = system.call("POST", "/api/v1/inspections", "coord1", json={
            "submission_id": sub["id"], "passed": passed, "rejected": sub["pieces"] - passed,
            "defect_codes": ["KNOT"] if sub["pieces"] > passed else []})
        if reply.status_code == 201:
            inspections.append(reply.json()["inspection_id"])


def settled(system: System) -> bool:
    with reading(system.engine) as session:
        return session.exec(select(func.count()).select_from(OutboxEvent).where(
            OutboxEvent.settled == False)).one() == 0  # noqa: E712


def assert_nothing_lost_nothing_twice(system: System, orders: list[tuple[str, int]], inspections: list[str]) -> None:
    wait_until(lambda: settled(system), timeout=90, what="every event applied by every consumer", system=system)
    with reading(system.engine) as session:
        for order_id, quantity in orders:
            pieces = session.exec(select(func.sum(Lot.pieces)).where(Lot.order_id == order_id)).one()
            assert pieces == quantity, f"order {order_id} split into {pieces} pieces, not {quantity}"
        for inspection_id in inspections:
            pay = session.exec(select(func.count()).select_from(LedgerEntry).where(
                LedgerEntry.inspection_id == inspection_id, LedgerEntry.kind == "piece_pay")).one()
            assert pay == 1, f"inspection {inspection_id} paid {pay} times"
        applied = session.exec(select(func.count()).select_from(AppliedEvent)).one()
        distinct = session.exec(select(func.count(func.distinct(AppliedEvent.consumer + AppliedEvent.event_id)))).one()
        assert applied == distinct
    assert reconcile(system.engine) == []


def run_work(system: System, inspections: list[str], *, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        work_step(system, inspections)
        time.sleep(0.5)


def test_an_order_is_paid_through_the_real_broker_and_worker(system: System) -> None:
    orders = post_orders(system, 1)
    inspections: list[str] = []
    wait_until(lambda: bool(system.call("GET", "/api/v1/offers", "coord1", params={"status": "pending"}).json()),
               timeout=60, what="the first offer", system=system)
    run_work(system, inspections, seconds=12)
    assert inspections, "no inspection was recorded"
    wait_until(lambda: settled(system), timeout=60, what="earnings posted", system=system)
    with reading(system.engine) as session:
        total = session.exec(select(func.sum(LedgerEntry.amount_fen))).one()
        passed = session.exec(select(func.sum(Lot.pieces_passed))).one()
    assert total == passed * 61 and total > 0
    assert_nothing_lost_nothing_twice(system, orders, inspections)


def test_killing_the_worker_mid_flow_loses_nothing_and_pays_nothing_twice(system: System) -> None:
    orders = post_orders(system, 3)
    inspections: list[str] = []
    run_work(system, inspections, seconds=8)
    system.kill("worker")
    run_work(system, inspections, seconds=4)  # inputs keep arriving while the worker is dead
    system.start("worker")
    run_work(system, inspections, seconds=8)
    system.kill("worker")
    system.start("worker")
    run_work(system, inspections, seconds=10)
    assert len(inspections) >= 3
    assert_nothing_lost_nothing_twice(system, orders, inspections)


def test_restarting_the_in_memory_broker_mid_flow_loses_nothing(system: System) -> None:
    orders = post_orders(system, 2)
    inspections: list[str] = []
    run_work(system, inspections, seconds=8)
    system.kill("broker")  # every topic and committed offset is gone with it
    run_work(system, inspections, seconds=3)
    system.start_broker()
    orders += post_orders(system, 1)
    run_work(system, inspections, seconds=15)
    assert len(inspections) >= 3
    assert_nothing_lost_nothing_twice(system, orders, inspections)
