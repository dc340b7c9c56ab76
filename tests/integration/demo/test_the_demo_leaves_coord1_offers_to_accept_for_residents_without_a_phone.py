"""A fresh demo shows the no-phone (代办) workflow the README promises: its offers wait for coord1 to accept for a
resident of comm-001 without a phone (代为接单). A trial found every order was 小件包装 and none of the three had
packing, so 代办接单 only ever listed '· 空闲'."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import func, select

from services.api.app import create_app
from services.demo.city import DEMO_PASSWORD
from services.demo.history import load_demo
from services.demo.simulator import Simulator
from store.db import reading
from store.tables import OutboxEvent, Resident
from usecases.inline import pump
from usecases.settings import Settings
from usecases.throttle import forget_clients


# On SQLite only: what the demo's people can do does not depend on the store, and the demo's month of history is
# loaded on PostgreSQL by test_the_demo_starts_with_a_month_of_history (each load is ≈ 25–50 s of the suite's time).
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_coord1_has_an_offer_to_accept_for_a_resident_without_a_phone(settings: Settings, engine: Engine) -> None:
    load_demo(engine, settings)
    forget_clients()
    client = TestClient(create_app(settings))
    token = client.post("/api/v1/auth/token", json={"username": "coord1", "password": DEMO_PASSWORD})
    coord1 = {"Authorization": f"Bearer {token.json()['access_token']}"}
    with reading(engine) as session:
        phoneless = {r.id: r.name for r in session.exec(select(Resident).where(
            Resident.community_id == "comm-001", Resident.phone.is_(None))).all()}  # type: ignore[union-attr]
        cursor = int(session.exec(select(func.max(OutboxEvent.id))).one() or 0)
    assert phoneless
    sim = Simulator(api="http://testserver")  # what `make run` starts after the month of history
    sim.http = client
    waiting: list[dict[str, str]] = []
    for _ in range(6):
        sim.tick()
        cursor = pump(engine, settings, after_id=cursor)
        offers = client.get("/api/v1/offers", headers=coord1, params={"status": "pending"})
        assert offers.status_code == 200, offers.text
        waiting = [o for o in offers.json() if o["resident_id"] in phoneless]
        if waiting:
            break
    assert waiting, f"no offer waits for coord1 to accept for {sorted(phoneless.values())}"
    reply = client.post(f"/api/v1/offers/{waiting[0]['id']}/answer", headers=coord1, json={"decision": "accept"})
    assert reply.status_code == 200, reply.text  # 代为接单
