"""Issue 14 fault 1 on the running system: real broker, relay, worker (matching on every event and each second) and API.

A resident works at home three hours a day; a product takes 4 standard minutes a piece; an order of 600 pieces
in lots of 150 is due in 5 days; one neighbour. She can finish one lot (600 of her ~900 minutes), not two.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from domain.orders.uscc import make_uscc_from_parts
from schemas import commands as c
from services.demo.city import DEMO_PASSWORD
from services.harness import System, wait_until
from store.db import transaction
from usecases import registry
from usecases.actors import SYSTEM
from usecases.auth import create_user
from usecases.execute import execute

CID = "e2e-home"
THREE_HOURS_A_DAY = [(d, 9 * 60, 12 * 60) for d in range(7)]
HER, NEIGHBOUR = "e2e-her", "e2e-neighbour"


def _register(system: System) -> None:
    """The community, its micro-factory, the enterprise, the weaving product, two home weavers and sign-ins."""
    def run(use_case: object, *args: object) -> None:
        execute(system.engine, system.settings, use_case, *args, actor=SYSTEM)  # type: ignore[arg-type]

    run(registry.register_community, c.RegisterCommunity(community_id=CID, name="家门口", street="街道",
                                                         district="区", city="shanghai", division="310101"))
    run(registry.register_site, c.RegisterSite(site_id=f"{CID}-site", community_id=CID, name="微工厂", seats=4,
                                               opening_hours=[(d, 0, 1440) for d in range(7)]))
    run(registry.register_enterprise, c.RegisterEnterprise(
        enterprise_id="ent-net", name="网兜厂",
        uscc=make_uscc_from_parts(authority="9", kind="1", division="310101", org_body8="71000043")))
    run(registry.register_product, c.RegisterProduct(product_code="NET-4", name="编织网兜", skill="weaving",
                                                     standard_minutes_per_piece=4, lot_size=150, min_lot_size=50))
    for rid in (HER, NEIGHBOUR):
        run(registry.register_resident, c.RegisterResident(
            resident_id=rid, community_id=CID, name=f"居民{rid[-3:]}", work_mode="home", skills={"weaving": 2},
            availability=THREE_HOURS_A_DAY, reachable_site_ids=[f"{CID}-site"]))
    with transaction(system.engine) as session:
        create_user(session, username="coord-home", password=DEMO_PASSWORD, role="coordinator", community_ids=[CID])
        create_user(session, username="ent-net-user", password=DEMO_PASSWORD, role="enterprise",
                    enterprise_id="ent-net")
        create_user(session, username=HER, password=DEMO_PASSWORD, role="resident", resident_id=HER,
                    community_ids=[CID])


@pytest.fixture
def home_system(tmp_path: Path) -> Iterator[System]:
    system = System(tmp_path)
    _register(system)
    system.start_all()
    try:
        yield system
    finally:
        system.stop()


def _offers(system: System, status: str) -> list[dict[str, object]]:
    reply = system.call("GET", "/api/v1/offers", "coord-home", params={"status": status})
    assert reply.status_code == 200, reply.text
    return list(reply.json())


def _lots(system: System) -> list[dict[str, object]]:
    return list(system.call("GET", "/api/v1/lots", "coord-home", params={"community_id": CID}).json())


def test_the_issue_s_home_worker_ends_with_one_offer_through_the_running_system(home_system: System) -> None:
    due = datetime.now(UTC) + timedelta(days=5, hours=1)
    posted = home_system.call("POST", "/api/v1/orders", "ent-net-user", json={
        "enterprise_id": "ent-net", "product_code": "NET-4", "quantity": 600, "piece_rate_fen": 200,
        "due_at": due.isoformat(), "eligible_community_ids": [CID], "pickup_site_id": f"{CID}-site"})
    assert posted.status_code == 201, posted.text
    wait_until(lambda: len(_lots(home_system)) == 4 and all(lot["status"] in ("offered", "escalated")
                                                           for lot in _lots(home_system)),
               timeout=90, what="every lot offered or escalated", system=home_system)
    time.sleep(3)  # several more matching rounds: the worker's timer matches every second, offers trigger more

    mine = [o for o in _offers(home_system, "pending") if o["resident_id"] == HER]
    assert len(mine) == 1, mine
    accepted = home_system.call("POST", f"/api/v1/offers/{mine[0]['id']}/answer", HER, json={"decision": "accept"})
    assert accepted.status_code == 200, accepted.text
    time.sleep(3)  # and more rounds after she accepted: still nothing on top of the lot she holds
    assert [o for o in _offers(home_system, "pending") if o["resident_id"] == HER] == []

    outcome = home_system.check_invariants()
    assert not {"over_committed", "open_lot_limit_exceeded"} & set(outcome["checks"]), outcome["first"]
