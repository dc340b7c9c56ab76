"""On the running system (real broker, relay, worker, API): an order whose due date has passed expires by the
worker's timer alone; its unstarted lots expire, the resident holding an offer is told it was withdrawn, the
enterprise hears that its order expired, and the enterprise's GET of the order says expired."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import col, update

from domain.orders.uscc import make_uscc_from_parts
from schemas import commands as c
from services.demo.city import DEMO_PASSWORD
from services.harness import System, wait_until
from store.db import reading, transaction
from store.tables import Lot, Order
from usecases import registry
from usecases.actors import SYSTEM
from usecases.auth import create_user
from usecases.execute import execute
from usecases.queries.names import order_names

CID = "e2e-due"
RESIDENT = "e2e-due-r1"


def _register(system: System) -> None:
    def run(use_case: object, *args: object) -> None:
        execute(system.engine, system.settings, use_case, *args, actor=SYSTEM)  # type: ignore[arg-type]

    run(registry.register_community, c.RegisterCommunity(community_id=CID, name="到期", street="街道", district="区",
                                                         city="shanghai", division="310101"))
    run(registry.register_site, c.RegisterSite(site_id=f"{CID}-site", community_id=CID, name="微工厂", seats=4,
                                               opening_hours=[(d, 0, 1440) for d in range(7)]))
    run(registry.register_enterprise, c.RegisterEnterprise(
        enterprise_id="ent-due", name="到期厂",
        uscc=make_uscc_from_parts(authority="9", kind="1", division="310101", org_body8="71000044")))
    run(registry.register_product, c.RegisterProduct(product_code="BAG-1", name="手提袋", skill="sewing",
                                                     standard_minutes_per_piece=3, lot_size=20, min_lot_size=10))
    run(registry.register_resident, c.RegisterResident(
        resident_id=RESIDENT, community_id=CID, name="居民r1", work_mode="either", skills={"sewing": 2},
        availability=[(d, 0, 1440) for d in range(7)], reachable_site_ids=[f"{CID}-site"], max_open_lots=1))
    with transaction(system.engine) as session:
        create_user(session, username="ent-due-user", password=DEMO_PASSWORD, role="enterprise",
                    enterprise_id="ent-due")
        create_user(session, username=RESIDENT, password=DEMO_PASSWORD, role="resident", resident_id=RESIDENT,
                    community_ids=[CID])


@pytest.fixture
def due_system(tmp_path: Path) -> Iterator[System]:
    system = System(tmp_path)
    _register(system)
    system.start_all()
    try:
        yield system
    finally:
        system.stop()


def test_the_worker_s_timer_expires_an_order_past_its_due_date(due_system: System) -> None:
    posted = due_system.call("POST", "/api/v1/orders", "ent-due-user", json={
        "enterprise_id": "ent-due", "product_code": "BAG-1", "quantity": 40, "piece_rate_fen": 200,
        "due_at": (datetime.now(UTC) + timedelta(days=3)).isoformat(), "eligible_community_ids": [CID],
        "pickup_site_id": f"{CID}-site"})
    assert posted.status_code == 201, posted.text
    order_id = posted.json()["order_id"]

    def lots() -> list[dict[str, object]]:
        return list(due_system.call("GET", "/api/v1/lots", "ent-due-user").json())

    wait_until(lambda: sorted(str(lot["status"]) for lot in lots()) == ["escalated", "offered"], timeout=90,
               what="one lot offered to the only resident, the other escalated", system=due_system)

    # Time passes: the due date is now behind us (the rows say so; no clock is faked in the processes).
    with transaction(due_system.engine) as session:
        past = datetime.now(UTC) - timedelta(minutes=1)
        session.connection().execute(update(Order).where(col(Order.id) == order_id).values(due_at=past))
        session.connection().execute(update(Lot).where(col(Lot.order_id) == order_id).values(due_at=past))

    def order_status() -> str:
        return str(due_system.call("GET", f"/api/v1/orders/{order_id}", "ent-due-user").json()["status"])

    wait_until(lambda: order_status() == "expired", timeout=60, what="the timer to expire the order",
               system=due_system)
    assert sorted(str(lot["status"]) for lot in lots()) == ["expired", "expired"]

    def inbox(user: str) -> list[str]:
        reply = due_system.call("GET", "/api/v1/inbox", user)
        assert reply.status_code == 200, reply.text
        return [str(m["text"]) for m in reply.json()]

    wait_until(lambda: any("已收回" in text for text in inbox(RESIDENT)), timeout=60,
               what="the resident told her offer was withdrawn", system=due_system)
    with reading(due_system.engine) as session:  # named as the enterprise's page names it, not by its id
        name = order_names(session, [order_id])[order_id]
    wait_until(lambda: any(f"订单 {name}" in text and "已过交期" in text for text in inbox("ent-due-user")), timeout=60,
               what="the enterprise told its order expired", system=due_system)
