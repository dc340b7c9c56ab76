"""The API remembers who a token's caller is for a few seconds (services/api/deps.ActorCache, issue 19): on SQLite and
PostgreSQL, over HTTP, it never answers one caller with another's records, money written a moment before is there
on the next read (nothing a caller reads is cached), and a token is refused once it expires however warm the
cache is."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import select

from services.api.deps import ActorCache
from services.demo.city import DEMO_PASSWORD, build_city
from services.demo.seed import load_city
from store.db import make_engine, reading
from store.tables import User
from usecases.actors import Actor
from usecases.inline import pump
from usecases.settings import Settings
from usecases.throttle import forget_clients


@pytest.fixture
def api(database_url: str) -> Iterator[FastAPI]:
    """One community of three residents, every one of whom signs in."""
    from services.api.app import create_app

    settings = Settings(DATABASE_URL=database_url, DEMO=False)
    engine = make_engine(database_url)
    plan = build_city(communities=1, residents_per_community=3)
    plan.residents = [r.model_copy(update={"password": r.password or DEMO_PASSWORD}) for r in plan.residents]
    load_city(engine, settings, plan)
    engine.dispose()
    app = create_app(settings)
    forget_clients()
    yield app
    app.state.engine.dispose()


def headers(client: TestClient, username: str) -> dict[str, str]:
    reply = client.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD})
    assert reply.status_code == 200, reply.text
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}


def get(client: TestClient, path: str, who: dict[str, str], status: int = 200) -> object:
    reply = client.get(path, headers=who)
    assert reply.status_code == status, f"{path}: {reply.status_code} {reply.text}"
    return reply.json()


def test_callers_taking_turns_each_see_only_their_own_and_new_money_at_once(api: FastAPI) -> None:
    client = TestClient(api)
    with reading(api.state.engine) as session:
        residents = sorted(session.exec(select(User.username).where(User.role == "resident")).all())
    assert len(residents) == 3
    signed = {u: headers(client, u) for u in [*residents, "coord1", "ent1"]}
    for _ in range(3):  # the cache is warm from the first round on; answers stay each caller's own
        for me in residents:
            assert get(client, f"/api/v1/residents/{me}/earnings", signed[me])["resident_id"] == me  # type: ignore[index]
            for other in residents:
                if other != me:
                    get(client, f"/api/v1/residents/{other}/earnings", signed[me], status=404)
            assert get(client, "/api/v1/orders", signed[me]) == []
        assert get(client, "/api/v1/orders", signed["ent1"]) == get(client, "/api/v1/orders", signed["coord1"])

    # The coordinator's writes put money on a resident's account; her next read (and the resident's) shows it.
    due = (datetime.now(UTC) + timedelta(days=10)).isoformat()
    client.post("/api/v1/orders", headers=signed["ent1"], json={
        "enterprise_id": "ent-01", "product_code": "PACK-03", "quantity": 40, "piece_rate_fen": 30, "due_at": due,
        "eligible_community_ids": ["comm-001"], "pickup_site_id": "comm-001-site-1"}).raise_for_status()
    cursor = pump(api.state.engine, api.state.settings)
    offer = get(client, "/api/v1/offers?status=pending", signed["coord1"])[0]  # type: ignore[index]
    client.post(f"/api/v1/offers/{offer['id']}/answer", headers=signed["coord1"],
                json={"decision": "accept"}).raise_for_status()
    cursor = pump(api.state.engine, api.state.settings, after_id=cursor)
    earner = offer["resident_id"]
    before = get(client, f"/api/v1/residents/{earner}/earnings", signed["coord1"])
    assert before == get(client, f"/api/v1/residents/{earner}/earnings", signed[earner])
    assert before["total_fen"] == 0  # type: ignore[index]
    for lot in get(client, "/api/v1/lots?status=accepted", signed["coord1"]):  # type: ignore[attr-defined]
        client.post("/api/v1/materials/issue", headers=signed["coord1"], json={
            "lot_id": lot["id"], "resident_id": lot["resident_id"], "pieces": lot["pieces"]}).raise_for_status()
        client.post(f"/api/v1/residents/{lot['resident_id']}/submissions", headers=signed["coord1"], json={
            "lot_id": lot["id"], "pieces": lot["pieces"], "minutes_spent": 60}).raise_for_status()
    for sub in get(client, "/api/v1/submissions", signed["coord1"]):  # type: ignore[attr-defined]
        client.post("/api/v1/inspections", headers=signed["coord1"], json={
            "submission_id": sub["id"], "passed": sub["pieces"], "rejected": 0, "defect_codes": []}).raise_for_status()
    pump(api.state.engine, api.state.settings, after_id=cursor)
    after = get(client, f"/api/v1/residents/{earner}/earnings", signed["coord1"])
    assert after["total_fen"] == after["today_fen"] > 0, after  # type: ignore[index]
    assert get(client, f"/api/v1/residents/{earner}/earnings", signed[earner]) == after
    for other in residents:
        if other != earner:
            assert get(client, f"/api/v1/residents/{other}/earnings", signed[other])["total_fen"] == 0  # type: ignore[index]


def test_a_token_is_refused_once_it_expires_though_its_caller_was_remembered(api: FastAPI) -> None:
    client = TestClient(api)
    now = datetime.now(UTC)
    expires = now + timedelta(seconds=8)  # time for two requests on a busy machine
    token = jwt.encode({"sub": "coord1", "role": "coordinator", "iat": now, "exp": expires},
                       api.state.settings.secret_key, algorithm="HS256")
    who = {"Authorization": f"Bearer {token}"}
    get(client, "/api/v1/lots", who)
    get(client, "/api/v1/lots", who)  # answered from the remembered caller
    time.sleep(max(0.0, (expires - datetime.now(UTC)).total_seconds()) + 0.2)
    reply = client.get("/api/v1/lots", headers=who)
    assert reply.status_code == 401 and reply.json()["detail"][0]["field"] == "authorization", reply.text
    forged = jwt.encode({"sub": "coord1", "iat": now, "exp": now + timedelta(hours=1)}, "not-the-key",
                        algorithm="HS256")
    assert client.get("/api/v1/lots", headers={"Authorization": f"Bearer {forged}"}).status_code == 401
    ghost = jwt.encode({"sub": "nobody", "iat": now, "exp": now + timedelta(hours=1)},
                       api.state.settings.secret_key, algorithm="HS256")
    for _ in range(2):  # a sign-in that does not exist is never remembered
        assert client.get("/api/v1/lots", headers={"Authorization": f"Bearer {ghost}"}).status_code == 401


def test_a_remembered_caller_is_read_again_after_the_ttl() -> None:
    cache = ActorCache(ttl_s=10, max_size=2)
    me = Actor(username="coord1", role="coordinator", community_ids=frozenset({"comm-001"}))
    cache.put("t1", expires_at=1_000.0, actor=me, now=100.0)
    assert cache.get("t1", wall=999.0, now=109.9) is me
    assert cache.get("t1", wall=999.0, now=110.0) is None  # read again after ttl_s
    cache.put("t1", expires_at=1_000.0, actor=me, now=110.0)
    assert cache.get("t1", wall=1_000.0, now=111.0) is None  # never past the token's exp
    assert cache.get("t2", wall=0.0, now=0.0) is None
