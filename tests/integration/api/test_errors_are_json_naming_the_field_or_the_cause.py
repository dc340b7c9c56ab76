"""Every error is a JSON body naming the field or the cause: 409 on a clash, 503 when the database cannot answer,
a JSON 500 with no stack trace for the unforeseen, 401 for a token that never expires."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event, make_url

from services.demo.city import DEMO_PASSWORD
from store.db import make_engine
from store.tables import Community
from usecases import registry

TOKEN = "/api/v1/auth/token"


def signed_in(app: FastAPI, username: str, **kw: Any) -> tuple[TestClient, dict[str, str]]:
    client = TestClient(app, **kw)
    token = client.post(TOKEN, json={"username": username, "password": DEMO_PASSWORD}).json()["access_token"]
    return client, {"Authorization": f"Bearer {token}"}


def test_a_resident_id_that_is_a_user_name_already_is_a_409_naming_it(city_api: FastAPI) -> None:
    client, auth = signed_in(city_api, "coord1")
    reply = client.post("/api/v1/residents", headers=auth, json={
        "resident_id": "coord1", "community_id": "comm-001", "name": "同名", "password": "long-enough-1"})
    assert reply.status_code == 409, reply.text
    assert reply.json()["detail"][0]["field"] == "resident_id"


def test_any_unique_clash_the_use_case_missed_is_a_409_naming_the_column(city_api: FastAPI,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def clashing(session: Any, cmd: Any, **_: Any) -> list[Any]:
        session.add(Community(id="comm-001", name="x", street="x", district="x", city="x"))
        return []

    monkeypatch.setattr(registry, "register_community", clashing)
    client, auth = signed_in(city_api, "city")
    reply = client.post("/api/v1/communities", headers=auth, json={
        "community_id": "comm-zz", "name": "n", "street": "s", "district": "d", "city": "c", "division": "310101"})
    assert reply.status_code == 409, reply.text
    assert reply.json()["detail"][0]["field"] == "id"


def test_an_unforeseen_error_is_a_json_500_without_a_stack_trace(city_api: FastAPI,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: Any, **__: Any) -> list[Any]:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(registry, "register_community", broken)
    client, auth = signed_in(city_api, "city", raise_server_exceptions=False)
    reply = client.post("/api/v1/communities", headers=auth, json={
        "community_id": "comm-zz", "name": "n", "street": "s", "district": "d", "city": "c", "division": "310101"})
    assert reply.status_code == 500
    [problem] = reply.json()["detail"]
    assert problem["field"] == "server" and "secret internals" not in reply.text and "Traceback" not in reply.text


def test_a_write_while_another_holds_the_database_lock_is_a_503_naming_the_cause(sqlite_url: str) -> None:
    from services.api.app import create_app
    from services.demo.city import build_city
    from services.demo.seed import load_city
    from usecases.settings import Settings

    settings = Settings(DATABASE_URL=sqlite_url, DEMO=False)
    engine = make_engine(sqlite_url)
    load_city(engine, settings, build_city(communities=1, residents_per_community=2))
    engine.dispose()
    app = create_app(settings)
    client, auth = signed_in(app, "city")
    # Wait 0.2 s, not 30, for the lock (the listener runs after the engine's own pragmas).
    event.listen(app.state.engine, "connect", lambda conn, _: conn.execute("PRAGMA busy_timeout=200"))
    app.state.engine.dispose()
    holder = sqlite3.connect(str(make_url(sqlite_url).database), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        reply = client.post("/api/v1/communities", headers=auth, json={
            "community_id": "comm-lock", "name": "n", "street": "s", "district": "d", "city": "c",
            "division": "310101"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert reply.status_code == 503, reply.text
    assert reply.json()["detail"][0]["field"] == "database"
    assert "数据库正忙" in reply.json()["detail"][0]["reason"]  # the cause, in Chinese by default
    assert int(reply.headers["retry-after"]) >= 1
    app.state.engine.dispose()


def test_a_database_that_cannot_be_reached_is_a_503_naming_the_cause(city_api: FastAPI) -> None:
    client, auth = signed_in(city_api, "city")
    city_api.state.engine = make_engine("postgresql://mf@127.0.0.1:1/nowhere")  # nothing listens on port 1
    reply = client.get("/api/v1/residents", headers=auth)
    assert reply.status_code == 503, reply.text
    assert reply.json()["detail"][0]["field"] == "database"
    assert "retry-after" in reply.headers


@pytest.mark.parametrize("missing", ["exp", "iat"])
def test_a_token_without_an_expiry_or_issue_time_is_refused(city_api: FastAPI, missing: str) -> None:
    now = datetime.now(UTC)
    claims = {"sub": "city", "role": "city", "iat": now, "exp": now + timedelta(hours=1)}
    del claims[missing]
    forged = jwt.encode(claims, city_api.state.settings.secret_key, algorithm="HS256")
    reply = TestClient(city_api).get("/api/v1/me", headers={"Authorization": f"Bearer {forged}"})
    assert reply.status_code == 401
    assert reply.json()["detail"][0]["field"] == "authorization"
    assert missing in reply.json()["detail"][0]["reason"]


def test_a_body_that_is_not_json_or_nests_too_deep_is_about_the_body_and_nothing_long_is_echoed(
        city_api: FastAPI) -> None:
    client, auth = signed_in(city_api, "coord1")
    broken = client.post("/api/v1/residents", headers={**auth, "Content-Type": "application/json"},
                         content=b'{"resident_id": ' + b"{" * 5000)
    assert broken.status_code == 422 and broken.json()["detail"][0]["field"] == "body", broken.text
    deep = client.post("/api/v1/residents", headers={**auth, "Content-Type": "application/json"},
                       content=b"[" * 100_000 + b"]" * 100_000)
    assert deep.status_code in (400, 422) and deep.json()["detail"][0]["field"] == "body", deep.text
    huge = client.post("/api/v1/lots/no-such-lot/dispatch", headers=auth, json={"resident_id": "r" * 100_000})
    assert huge.status_code == 422 and huge.json()["detail"][0]["field"] == "resident_id"
    assert len(huge.text) < 2_000, "a 100,000-character field is not echoed back"
