"""/health shows when the invariants were last checked, how long ago and whether they held; a failed check is
degraded, an old one is only shown."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from services.api.app import create_app
from services.api.routes import health
from usecases import invariants
from usecases.settings import Settings


@pytest.fixture
def client(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    """The API with a broker and a worker that answer well, so only the invariant check can degrade it."""
    monkeypatch.setattr(health, "_broker", lambda *_: {"status": "ok", "consumer_lag": {}, "consumers": []})
    monkeypatch.setattr(health, "_workers", lambda _: [{"worker_id": "w1", "status": "ok"}])
    return TestClient(create_app(settings))


def _get(client: TestClient) -> tuple[int, dict[str, Any]]:
    reply = client.get("/health")
    return reply.status_code, reply.json()


def test_health_says_when_the_invariants_were_never_checked(client: TestClient) -> None:
    status, body = _get(client)
    assert status == 200 and body["invariants"] == {"status": "never_checked"}


def test_health_shows_the_time_age_and_outcome_of_the_last_check(client: TestClient, engine: Engine) -> None:
    run = invariants.run(engine)
    status, body = _get(client)
    assert status == 200 and body["status"] == "ok"
    shown = body["invariants"]
    assert shown["status"] == "ok" and shown["violations"] == 0
    assert shown["finished_at"] == run.finished_at.isoformat() and shown["age_s"] >= 0


def test_a_failed_check_makes_health_degraded_and_names_what_broke(client: TestClient, engine: Engine) -> None:
    with engine.begin() as conn:  # a ledger that no longer refuses rewrites
        conn.exec_driver_sql("ALTER TABLE ledger_entry DISABLE TRIGGER ledger_entry_append_only"
                             if conn.dialect.name == "postgresql" else "DROP TRIGGER ledger_entry_no_update")
    assert not invariants.run(engine).ok
    status, body = _get(client)
    assert status == 503 and body["status"] == "degraded"
    assert body["invariants"]["status"] == "failed" and body["invariants"]["checks"] == ["ledger_not_append_only"]
