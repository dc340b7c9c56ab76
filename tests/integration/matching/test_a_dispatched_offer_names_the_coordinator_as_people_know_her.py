"""A lot dispatched by hand tells the resident who gave it to her by the name people know the coordinator by
(users.display_name), over HTTP as her phone reads it: '社区工作者李梅为你派发此批次', never her sign-in name
('社区工作者coord-d-name为你派发此批次' before)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from lots_world import LotsWorld, sign_in
from sqlmodel import select

from services.api.app import create_app
from store.db import transaction
from store.tables import User


def test_the_dispatch_explanation_names_the_coordinator_by_her_display_name(world: LotsWorld) -> None:
    cid = world.community("d-name")
    crew = [world.resident(f"d-name-{i}", cid, login=True) for i in range(2)]
    with transaction(world.engine) as session:
        [coordinator] = session.exec(select(User).where(User.username == f"coord-{cid}")).all()
        coordinator.display_name = "李梅"
        session.add(coordinator)
    world.order(cid)
    world.pump()
    [matched] = world.offers(status="pending")
    chosen = next(r for r in crew if r != matched.resident_id)
    client = TestClient(create_app(world.settings))

    done = client.post(f"/api/v1/lots/{matched.lot_id}/dispatch", headers=sign_in(client, f"coord-{cid}"),
                       json={"resident_id": chosen})
    assert done.status_code == 201, done.text
    reply = client.get(f"/api/v1/residents/{chosen}/offers", headers=sign_in(client, chosen),
                       params={"status": "pending"})
    assert reply.status_code == 200, reply.text
    [offer] = reply.json()
    assert offer["explanation_zh"].startswith("社区工作者李梅为你派发此批次："), offer["explanation_zh"]
    assert offer["explanation_en"].startswith("Coordinator 李梅 dispatched this lot to you"), offer["explanation_en"]
    assert f"coord-{cid}" not in offer["explanation_zh"] + offer["explanation_en"]
