"""The API's pool on PostgreSQL does not ping each connection before use (a round trip per request, issue 19); a
connection the server closed while it sat in the pool (a restart, pg_terminate_backend, an idle timeout) is found
at checkout and replaced (store.db._pg_drop_if_closed), so the requests after it are answered, not failed."""

from __future__ import annotations

import time
from collections.abc import Iterator

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from services.demo.city import DEMO_PASSWORD, build_city
from services.demo.seed import load_city
from store.db import make_engine
from usecases.settings import Settings
from usecases.throttle import forget_clients

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_api(templates) -> Iterator[tuple[FastAPI, str]]:  # type: ignore[no-untyped-def]
    """The API over a one-community city on a fresh PostgreSQL database, and that database's URL."""
    from services.api.app import create_app
    from tests.conftest import _drop_pg

    name, url = templates.pg_copy()
    try:
        settings = Settings(DATABASE_URL=url, DEMO=False)
        engine = make_engine(url)
        load_city(engine, settings, build_city(communities=1, residents_per_community=3))
        engine.dispose()
        app = create_app(settings)
        forget_clients()
        yield app, url
        app.state.engine.dispose()
    finally:
        _drop_pg(name)


def backends(url: str) -> set[int]:
    """The server processes serving this database's other client sessions (not autovacuum's)."""
    with psycopg.connect(url, autocommit=True) as conn:
        return {int(r[0]) for r in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'")}


def terminate_all(url: str) -> None:
    """Close every other session of the database from the server's side, as a restart does, and wait till gone."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                     "AND pid <> pg_backend_pid() AND backend_type = 'client backend'")
    deadline = time.monotonic() + 10
    while backends(url) and time.monotonic() < deadline:
        time.sleep(0.05)
    if backends(url):
        with psycopg.connect(url, autocommit=True) as conn:
            left = conn.execute("SELECT pid, state, backend_type, wait_event, left(query, 80) FROM pg_stat_activity "
                                "WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchall()
        raise AssertionError(f"the server did not close the sessions: {left}")
    time.sleep(0.3)  # a backend leaves pg_stat_activity just before its process exits and its socket closes


def test_reads_and_a_sign_in_after_the_server_closed_every_pooled_connection_are_answered(
        pg_api: tuple[FastAPI, str]) -> None:
    app, url = pg_api
    client = TestClient(app)
    reply = client.post("/api/v1/auth/token", json={"username": "coord1", "password": DEMO_PASSWORD})
    assert reply.status_code == 200, reply.text
    coord = {"Authorization": f"Bearer {reply.json()['access_token']}"}
    # Three connections in the pool, each used once.
    held = [app.state.engine.connect() for _ in range(3)]
    for conn in held:
        conn.exec_driver_sql("SELECT 1")
        conn.close()
    before = backends(url)
    assert len(before) >= 3

    terminate_all(url)

    # Every stale connection is met by a checkout: each request must still be answered.
    for path in ("/api/v1/overview", "/api/v1/orders", "/api/v1/lots", "/api/v1/offers", "/api/v1/overview"):
        reply = client.get(path, headers=coord)
        assert reply.status_code == 200, f"{path}: {reply.status_code} {reply.text[:300]}"
    reply = client.post("/api/v1/auth/token", json={"username": "ent1", "password": DEMO_PASSWORD})
    assert reply.status_code == 200, reply.text
    assert not before & backends(url), "a connection the server closed was used again"


def test_a_pooled_connection_the_server_closed_is_replaced_at_checkout(pg_api: tuple[FastAPI, str]) -> None:
    _app, url = pg_api
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            first = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        terminate_all(url)
        with engine.connect() as conn:
            second = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        assert second != first
    finally:
        engine.dispose()
