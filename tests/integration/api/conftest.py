"""A city with real work in both communities (orders, lots, offers, inspections, earnings), driven through the API."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import select

from services.demo.city import DEMO_PASSWORD, CityPlan, build_city
from services.demo.seed import load_city
from store.db import make_engine, reading
from store.migrate import upgrade
from store.tables import LedgerEntry
from usecases.inline import pump
from usecases.settings import Settings
from usecases.throttle import forget_clients

ENTERPRISE_OF = {"comm-001": "ent1", "comm-002": "ent2"}
COORDINATOR_OF = {"comm-001": "coord1", "comm-002": "coord2"}


@dataclass
class World:
    """The app, its database and who is signed in (username -> Authorization header)."""

    app: FastAPI
    engine: Engine
    settings: Settings
    plan: CityPlan
    client: TestClient
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    resident: str = ""  # a comm-001 resident with a sign-in and earnings

    def call(self, method: str, path: str, user: str, **kw: Any) -> Any:
        reply = self.client.request(method, path, headers=self.headers[user], **kw)
        assert reply.is_success, f"{method} {path} as {user}: {reply.status_code} {reply.text}"
        return reply.json()

    def sign_in(self, username: str) -> None:
        reply = self.client.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD})
        assert reply.status_code == 200, reply.text
        self.headers[username] = {"Authorization": f"Bearer {reply.json()['access_token']}"}


def work_through_the_api(world: World) -> None:
    """Each enterprise posts an order to each community; coordinators accept, issue, take in and inspect the work."""
    due = (datetime.now(UTC) + timedelta(days=10)).isoformat()
    for community, enterprise in [(c, e) for c in COORDINATOR_OF for e in ("ent1", "ent2")]:
        world.call("POST", "/api/v1/orders", enterprise, json={
            "enterprise_id": f"ent-0{enterprise[-1]}", "product_code": "PACK-03", "quantity": 100,
            "piece_rate_fen": 30 if community == "comm-001" else 33, "due_at": due,
            "eligible_community_ids": [community], "pickup_site_id": f"{community}-site-1"})
    cursor = pump(world.engine, world.settings)
    for coordinator in COORDINATOR_OF.values():
        for offer in world.call("GET", "/api/v1/offers", coordinator, params={"status": "pending"})[:1]:
            world.call("POST", f"/api/v1/offers/{offer['id']}/answer", coordinator, json={"decision": "accept"})
    cursor = pump(world.engine, world.settings, after_id=cursor)
    for coordinator in COORDINATOR_OF.values():
        for lot in world.call("GET", "/api/v1/lots", coordinator, params={"status": "accepted"}):
            world.call("POST", "/api/v1/materials/issue", coordinator,
                       json={"lot_id": lot["id"], "resident_id": lot["resident_id"], "pieces": lot["pieces"]})
            world.call("POST", f"/api/v1/residents/{lot['resident_id']}/submissions", coordinator,
                       json={"lot_id": lot["id"], "pieces": lot["pieces"], "minutes_spent": 60})
        for sub in world.call("GET", "/api/v1/submissions", coordinator):
            world.call("POST", "/api/v1/inspections", coordinator, json={
                "submission_id": sub["id"], "passed": sub["pieces"] - 2, "rejected": 2, "defect_codes": ["SEAL"]})
    pump(world.engine, world.settings, after_id=cursor)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """Two communities of eight residents; a comm-001 resident who can sign in has earnings."""
    from services.api.app import create_app

    url = f"sqlite:///{Path(tmp_path_factory.mktemp('world')) / 'mf.db'}"
    upgrade(url)
    settings = Settings(DATABASE_URL=url, DEMO=False)
    engine = make_engine(url)
    plan = build_city(communities=2, residents_per_community=8)
    # Every resident signs in, so any of them can be the one who earned.
    plan.residents = [r.model_copy(update={"password": r.password or DEMO_PASSWORD}) for r in plan.residents]
    load_city(engine, settings, plan)
    app = create_app(settings)
    forget_clients()  # a module that fuzzed sign-ins before may have left this test client throttled
    w = World(app=app, engine=engine, settings=settings, plan=plan, client=TestClient(app))
    for user in ("city", "coord1", "coord2", "ent1", "ent2"):
        w.sign_in(user)
    work_through_the_api(w)
    with reading(engine) as session:
        earners = set(session.exec(select(LedgerEntry.resident_id).where(LedgerEntry.community_id == "comm-001")))
    assert earners, "nobody in comm-001 earned anything"
    w.resident = sorted(earners)[0]
    w.sign_in(w.resident)
    yield w
    engine.dispose()


@pytest.fixture
def city_api(database_url: str) -> Iterator[FastAPI]:
    """The API over a fresh one-community city (SQLite and PostgreSQL) whose staff sign in with the demo password."""
    from services.api.app import create_app

    settings = Settings(DATABASE_URL=database_url, DEMO=False)
    engine = make_engine(database_url)
    load_city(engine, settings, build_city(communities=1, residents_per_community=3))
    engine.dispose()
    app = create_app(settings)
    forget_clients()  # this process's per-client sign-in counts outlive one test
    yield app
    app.state.engine.dispose()
