"""The public overview shows aggregates only; /health names the state of each part."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from services.api.app import create_app
from services.demo.city import build_city
from services.demo.seed import load_city
from usecases.settings import Settings

REQUIRED = {"sites", "residents_active", "orders_open", "lots_open", "pieces_passed_total", "earnings_total_fen"}


def test_the_overview_counts_without_naming_anyone(settings: Settings, engine: Engine) -> None:
    plan = build_city(communities=2, sites_per_community=2, residents_per_community=5)
    load_city(engine, settings, plan)
    body = TestClient(create_app(settings)).get("/api/v1/overview").json()
    assert body.keys() >= REQUIRED
    assert body["sites"] == 4 and body["residents_active"] == 10 and body["earnings_total_fen"] == 0
    flat = str(body)
    assert not any(r.name in flat or (r.phone and r.phone in flat) for r in plan.residents)


def test_health_reports_a_missing_broker_and_worker_as_degraded(settings: Settings) -> None:
    settings = settings.model_copy(update={"kafka_bootstrap": "127.0.0.1:1"})
    reply = TestClient(create_app(settings)).get("/health")
    assert reply.status_code == 503
    body = reply.json()
    assert body["status"] == "degraded" and body["database"]["status"] == "ok"
    assert body["broker"]["status"] == "down" and body["worker"]["status"] == "down"
