"""Guessing passwords is slowed per client and account, never a lock an attacker can hold over the owner."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import select

from services.demo.city import DEMO_PASSWORD
from store.db import reading
from store.tables import AuditRecord
from usecases.throttle import FREE_FAILURES, MAX_WAIT, forget_clients, wait_after

ATTACKER, OWNER = "203.0.113.9", "198.51.100.7"
TOKEN = "/api/v1/auth/token"


@pytest.fixture
def app(city_api: FastAPI) -> FastAPI:
    forget_clients()  # this process's per-client counts outlive one test
    return city_api


def client_at(app: FastAPI, address: str) -> TestClient:
    """A client whose requests come from `address` (the throttle keys on it)."""
    return TestClient(app, client=(address, 50000))


def hammer(app: FastAPI, address: str, username: str, tries: int) -> list[tuple[int, dict[str, object], str | None]]:
    client = client_at(app, address)
    replies = [client.post(TOKEN, json={"username": username, "password": "wrong-guess-1"}) for _ in range(tries)]
    return [(r.status_code, r.json(), r.headers.get("retry-after")) for r in replies]


def test_an_attackers_wrong_passwords_do_not_stop_the_owner_signing_in(app: FastAPI) -> None:
    answers = hammer(app, ATTACKER, "city", 8)
    assert [status for status, _, _ in answers[:FREE_FAILURES]] == [401] * FREE_FAILURES
    throttled = [(body, retry) for status, body, retry in answers if status == 429]
    assert throttled, answers
    assert all(retry is not None and int(retry) >= 1 for _, retry in throttled)
    assert throttled[0][0] == {"detail": [{"field": "username", "reason": throttled[0][0]["detail"][0]["reason"]}]}

    owner = client_at(app, OWNER).post(TOKEN, json={"username": "city", "password": DEMO_PASSWORD})
    assert owner.status_code == 200, owner.text


def test_unknown_and_known_usernames_are_answered_alike(app: FastAPI) -> None:
    known = hammer(app, "192.0.2.1", "coord1", 8)
    unknown = hammer(app, "192.0.2.2", "nobody-by-this-name", 8)
    # The tries before any wait: the same status and words; then both are throttled the same way.
    assert known[:FREE_FAILURES + 1] == unknown[:FREE_FAILURES + 1]
    assert known[0] == (401, {"detail": [{"field": "password", "reason": "用户名或密码错误"}]}, None)
    for answers in (known, unknown):
        assert {b["detail"][0]["field"] for s, b, _ in answers if s == 429} == {"username"}  # type: ignore[index]


def test_the_wait_doubles_with_each_failure_up_to_a_ceiling() -> None:
    waits = [wait_after(n) for n in range(1, FREE_FAILURES + 6)]
    assert waits[:FREE_FAILURES] == [timedelta(0)] * FREE_FAILURES
    assert waits[FREE_FAILURES:] == [timedelta(seconds=s) for s in (1, 2, 4, 8, 16)]
    assert wait_after(1000) == MAX_WAIT


def test_the_city_bureau_clears_an_accounts_throttle_and_the_audit_trail_says_so(app: FastAPI) -> None:
    assert any(status == 429 for status, _, _ in hammer(app, ATTACKER, "coord1", 6))
    city = client_at(app, OWNER)
    token = city.post(TOKEN, json={"username": "city", "password": DEMO_PASSWORD}).json()["access_token"]
    reply = city.post("/api/v1/accounts/coord1/sign-in-throttle/reset", headers={"Authorization": f"Bearer {token}"})
    assert reply.status_code == 200, reply.text
    assert reply.json()["cleared"] >= 1
    assert hammer(app, ATTACKER, "coord1", 1)[0][0] == 401  # may try again at once
    with reading(app.state.engine) as session:
        record = session.exec(select(AuditRecord).where(AuditRecord.action == "auth.throttle_reset")).one()
    assert (record.actor, record.subject) == ("city", "coord1")


def test_a_coordinator_may_not_clear_the_city_bureaus_throttle(app: FastAPI) -> None:
    coord = client_at(app, OWNER)
    token = coord.post(TOKEN, json={"username": "coord1", "password": DEMO_PASSWORD}).json()["access_token"]
    reply = coord.post("/api/v1/accounts/city/sign-in-throttle/reset", headers={"Authorization": f"Bearer {token}"})
    assert reply.status_code == 403
    assert reply.json()["detail"][0]["field"] == "username"
