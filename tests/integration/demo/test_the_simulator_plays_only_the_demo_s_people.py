"""The live simulator, against the running API, plays only what the demo made: never a resident a coordinator
imported (a trial saw coord1 accept her offer and issue her materials within 2 s, then 401 every 2 s on a sign-in
as her), never a lot of an order a real user posted; a refused sign-in is tried once, logged once, and that
person is left alone."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from services.api.app import create_app
from services.demo.city import DEMO_PASSWORD, build_city
from services.demo.seed import load_city
from services.demo.simulator import Simulator
from store.db import reading, transaction
from store.tables import AuditRecord, Lot, Offer, User
from usecases.auth import hash_password
from usecases.inline import pump
from usecases.settings import Settings
from usecases.throttle import forget_clients

IMPORTED = "imported-001"


class Recording(TestClient):
    """The API in process, noting every sign-in tried (username)."""

    sign_ins: list[str]

    def request(self, method: str, url: httpx.URL | str, **kw: Any) -> httpx.Response:  # type: ignore[override]
        if str(url).endswith("/auth/token"):
            self.sign_ins.append((kw.get("json") or {}).get("username", ""))
        return super().request(method, url, **kw)


def header(client: TestClient, user: str) -> dict[str, str]:
    reply = client.post("/api/v1/auth/token", json={"username": user, "password": DEMO_PASSWORD})
    assert reply.status_code == 200, reply.text
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}


def test_the_simulator_leaves_imported_residents_real_orders_and_refused_sign_ins_alone(
        settings: Settings, engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    load_city(engine, settings, build_city())
    forget_clients()
    client = Recording(create_app(settings))
    client.sign_ins = []
    coord1, ent1 = header(client, "coord1"), header(client, "ent1")
    # coord1 adds a resident of her own (as 批量导入 does: a phone, no sign-in yet) who can do all the demo's work.
    reply = client.post("/api/v1/residents", headers=coord1, json={
        "resident_id": IMPORTED, "community_id": "comm-001", "name": "林小梅", "phone": "13912345678",
        "work_mode": "either", "skills": {"packing": 3, "beading": 3, "weaving": 3},
        "availability": [[d, 0, 24 * 60] for d in range(7)], "max_open_lots": 10,
        "reachable_site_ids": ["comm-001-site-1", "comm-001-site-2"]})
    assert reply.status_code == 201, reply.text
    # A real order from ent1 (posted on the page, not by the demo).
    reply = client.post("/api/v1/orders", headers=ent1, json={
        "enterprise_id": "ent-01", "product_code": "PACK-03", "quantity": 200, "piece_rate_fen": 5,
        "due_at": "2030-01-01T00:00:00+08:00", "eligible_community_ids": ["comm-001"],
        "pickup_site_id": "comm-001-site-1"})
    assert reply.status_code == 201, reply.text
    real_order = reply.json()["order_id"]
    # coord2 chose her own password: the simulator's sign-in as her is refused.
    with transaction(engine) as session:
        user = session.exec(select(User).where(User.username == "coord2")).one()
        user.password_hash = hash_password("her-own-pass-9")
        session.add(user)

    sim = Simulator(api="http://testserver")
    sim.http = client
    cursor = pump(engine, settings)
    with caplog.at_level(logging.WARNING, logger="services.demo.simulator"):
        sim.tick()  # the enterprises post the demo's orders
        cursor = pump(engine, settings, after_id=cursor)
        with reading(engine) as session:
            lot = session.exec(select(Lot).where(Lot.order_id != real_order,
                                                 Lot.community_id == "comm-001")).first()
        assert lot is not None, "the simulator posted no demo order in comm-001"
        reply = client.post(f"/api/v1/lots/{lot.id}/dispatch", headers=coord1, json={
            "resident_id": IMPORTED, "note": "新导入的居民"})
        assert reply.status_code == 201, reply.text
        cursor = pump(engine, settings, after_id=cursor)
        for _ in range(12):  # the dispatched offer waits for her (or coord1), whatever the simulator's dice say
            sim.tick()
            cursor = pump(engine, settings, after_id=cursor)
        with reading(engine) as session:
            hers = session.exec(select(Offer).where(Offer.resident_id == IMPORTED)).all()
            real = session.exec(select(Offer).where(col(Offer.lot_id).startswith(real_order))).all()
        assert hers and all(o.status == "pending" for o in hers)  # the matcher's offers to her too
        [offer] = [o for o in hers if o.lot_id == lot.id]
        assert real and all(o.status == "pending" for o in real), [(o.resident_id, o.status) for o in real]

        # coord1 accepts for her and issues her materials herself; the simulator still never acts for her.
        assert client.post(f"/api/v1/offers/{offer.id}/answer", headers=coord1,
                           json={"decision": "accept"}).status_code == 200
        assert client.post("/api/v1/materials/issue", headers=coord1, json={
            "lot_id": lot.id, "resident_id": IMPORTED, "pieces": lot.pieces}).status_code == 201
        cursor = pump(engine, settings, after_id=cursor)
        for _ in range(6):
            sim.tick()
            cursor = pump(engine, settings, after_id=cursor)

    with reading(engine) as session:
        for_her = session.exec(select(AuditRecord).where(AuditRecord.on_behalf_of == IMPORTED)).all()
        issued = session.exec(select(AuditRecord).where(AuditRecord.action == "materials.issue",
                                                        AuditRecord.subject == lot.id)).all()
    assert [a.action for a in for_her if a.action != "materials.issue"] == ["offer.accept"]  # coord1's own, once
    assert len(issued) == 1  # coord1's own
    assert IMPORTED not in client.sign_ins  # no sign-in it has no password for
    assert client.sign_ins.count("coord2") == 1  # refused once, never tried again
    refusals = [r for r in caplog.records if "coord2" in r.getMessage()]
    assert len(refusals) == 1 and "coord2" in sim.refused
