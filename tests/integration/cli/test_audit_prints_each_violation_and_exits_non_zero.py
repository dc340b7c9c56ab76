"""`microfactory audit` exits 0 on a healthy database; on a broken invariant it prints one JSON line a violation
(the check, the ids, a Chinese and an English reason), a summary line, exits 1, and records both runs."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import col, select
from typer.testing import CliRunner

from services.cli import app
from store.db import reading
from store.tables import InvariantCheck
from tests.integration.invariants.healthy_world import build
from usecases.settings import Settings, get_settings


def _audit(monkeypatch: pytest.MonkeyPatch, url: str) -> tuple[int, list[dict[str, Any]]]:
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()  # the CLI reads the process settings; make it see this database
    try:
        result = CliRunner().invoke(app, ["audit"])
    finally:
        get_settings.cache_clear()
    return result.exit_code, [json.loads(line) for line in result.stdout.splitlines()]


def test_audit_passes_a_healthy_database_and_names_a_broken_invariant(
        engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    world = build(engine, settings)
    code, lines = _audit(monkeypatch, settings.database_url)
    assert code == 0, lines
    assert lines == [lines[-1]] and lines[-1]["summary"] == "ok" and lines[-1]["violations"] == 0

    with engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE \"order\" SET status = 'fulfilled' WHERE id = '{world.order_id}'")
    code, lines = _audit(monkeypatch, settings.database_url)
    assert code == 1
    *violations, summary = lines
    assert [(v["check"], v["order_id"]) for v in violations] == [("order_status_disagrees", world.order_id)]
    assert violations[0]["reason_zh"] and violations[0]["reason_en"]
    assert summary["summary"] == "violations" and summary["violations"] == 1
    assert summary["checks"] == ["order_status_disagrees"]

    with reading(engine) as session:
        runs = session.exec(select(InvariantCheck).order_by(col(InvariantCheck.id))).all()
    assert [(r.ok, r.violations) for r in runs] == [(True, 0), (False, 1)]
    assert runs[1].summary == violations and runs[1].finished_at >= runs[1].started_at
