"""Signing out stops the token itself (personal data; SQLite and PostgreSQL, over HTTP): POST /api/v1/auth/sign-out
makes every later request with that token 401 though it has not expired, in this API process at once and in another
one that never saw it; the person's other session goes on; the database keeps the token's random id, never the
token; rows of tokens that expired anyway are deleted at the next sign-out."""

from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from services.api import deps
from services.demo.city import DEMO_PASSWORD
from store.db import reading, transaction
from store.tables import RevokedToken
from usecases.actors import Actor
from usecases.auth import ALGORITHM, VerifiedToken
from usecases.settings import Settings

TOKEN, SIGN_OUT, ME = "/api/v1/auth/token", "/api/v1/auth/sign-out", "/api/v1/me"


def _sign_in(client: TestClient) -> tuple[str, dict[str, str]]:
    reply = client.post(TOKEN, json={"username": "coord1", "password": DEMO_PASSWORD})
    assert reply.status_code == 200, reply.text
    token = reply.json()["access_token"]
    return token, {"Authorization": f"Bearer {token}"}


def test_a_signed_out_token_is_refused_and_her_other_session_goes_on(city_api: FastAPI, database_url: str) -> None:
    phone, office = TestClient(city_api, client=("203.0.113.7", 5000)), TestClient(city_api, client=("198.51.100.2", 1))
    token, on_phone = _sign_in(phone)
    _, in_office = _sign_in(office)
    assert phone.get(ME, headers=on_phone).status_code == 200  # this process now remembers the token's caller

    assert phone.post(SIGN_OUT, headers=on_phone).status_code == 204

    refused = phone.get(ME, headers=on_phone)
    assert refused.status_code == 401
    assert "已退出登录" in refused.text
    assert office.get(ME, headers=in_office).status_code == 200
    assert phone.post(SIGN_OUT, headers=on_phone).status_code == 401  # nothing left to sign out

    from services.api.app import create_app
    other = create_app(Settings(DATABASE_URL=database_url, DEMO=False))  # a second API process: never saw it
    try:
        assert TestClient(other).get(ME, headers=on_phone).status_code == 401
        assert TestClient(other).get(ME, headers=in_office).status_code == 200
    finally:
        other.state.engine.dispose()

    with reading(city_api.state.engine) as session:
        rows = session.exec(select(RevokedToken)).all()
    claims = jwt.decode(token, options={"verify_signature": False})
    assert [r.token_id for r in rows] == [claims["jti"]]
    assert token not in rows[0].token_id and rows[0].expires_at == datetime.fromtimestamp(claims["exp"], tz=UTC)


def test_rows_of_tokens_expired_anyway_go_at_the_next_sign_out(city_api: FastAPI) -> None:
    client = TestClient(city_api)
    long_ago = datetime.now(UTC) - timedelta(days=2)
    with transaction(city_api.state.engine) as session:
        session.add(RevokedToken(token_id="expired-long-ago", expires_at=long_ago))
    _, headers = _sign_in(client)
    assert client.post(SIGN_OUT, headers=headers).status_code == 204
    with reading(city_api.state.engine) as session:
        kept = [r.token_id for r in session.exec(select(RevokedToken)).all()]
    assert "expired-long-ago" not in kept and len(kept) == 1


def test_a_sign_out_without_a_valid_token_is_refused_and_writes_nothing(city_api: FastAPI) -> None:
    client = TestClient(city_api)
    assert client.post(SIGN_OUT).status_code == 401
    assert client.post(SIGN_OUT, headers={"Authorization": "Bearer not.a.token"}).status_code == 401
    with reading(city_api.state.engine) as session:
        assert session.exec(select(RevokedToken)).all() == []


def test_a_token_without_a_usable_jti_is_signed_out_too(city_api: FastAPI, database_url: str) -> None:
    """Tokens made before they carried a jti live up to TOKEN_MINUTES past the upgrade: signing one out answered 204
    and it went on working (revoke_token kept nothing). Such a token, and one whose jti cannot be a key (a NUL,
    which PostgreSQL's text refuses: 500 on every request), is signed out by its hash, never stored itself."""
    client = TestClient(city_api)
    token, _ = _sign_in(client)
    claims = jwt.decode(token, options={"verify_signature": False})
    secret = city_api.state.settings.secret_key
    without = jwt.encode({k: v for k, v in claims.items() if k != "jti"}, secret, algorithm=ALGORITHM)
    odd = jwt.encode(claims | {"jti": "a\x00" + "b" * 100}, secret, algorithm=ALGORITHM)
    for old in (without, odd):
        headers = {"Authorization": f"Bearer {old}"}
        assert client.get(ME, headers=headers).status_code == 200
        assert client.post(SIGN_OUT, headers=headers).status_code == 204
        refused = client.get(ME, headers=headers)
        assert refused.status_code == 401 and "已退出登录" in refused.text
    assert client.get(ME, headers={"Authorization": f"Bearer {token}"}).status_code == 200  # her own session goes on

    from services.api.app import create_app
    other = create_app(Settings(DATABASE_URL=database_url, DEMO=False))  # a second API process: never saw them
    try:
        assert TestClient(other).get(ME, headers={"Authorization": f"Bearer {without}"}).status_code == 401
    finally:
        other.state.engine.dispose()
    with reading(city_api.state.engine) as session:
        kept = sorted(r.token_id for r in session.exec(select(RevokedToken)).all())
    assert kept == sorted("sha256:" + hashlib.sha256(t.encode()).hexdigest() for t in (without, odd))


def test_a_request_in_flight_at_the_sign_out_does_not_put_the_token_back(city_api: FastAPI,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A request that read the token's sign-in just before the sign-out committed, and finished just after it, put
    the token back into this process's cache (ActorCache.put after forget): the signed-out token was then answered
    here for ACTOR_TTL_S more, though this process is the one that forgets it at once."""
    token, headers = _sign_in(TestClient(city_api))
    real, read, go_on = deps.actor_named, threading.Event(), threading.Event()

    def read_then_wait(session: Session, verified: VerifiedToken) -> Actor:
        actor = real(session, verified)
        if not read.is_set():  # the first request only: it has read her sign-in, and is slow to finish
            read.set()
            go_on.wait(10)
        return actor

    monkeypatch.setattr(deps, "actor_named", read_then_wait)
    in_flight: list[int] = []
    slow = threading.Thread(target=lambda: in_flight.append(TestClient(city_api).get(ME, headers=headers).status_code))
    slow.start()
    assert read.wait(10)
    assert TestClient(city_api).post(SIGN_OUT, headers=headers).status_code == 204
    go_on.set()
    slow.join(10)
    assert in_flight == [200]  # it was asked before the sign-out
    refused = TestClient(city_api).get(ME, headers=headers)
    assert refused.status_code == 401 and "已退出登录" in refused.text
