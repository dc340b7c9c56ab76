"""Health and the public overview."""

from __future__ import annotations

import asyncio
import socket
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlmodel import select

from services.api.deps import EngineDep, SettingsDep
from services.broker import consumer_lag
from store.db import reading
from store.tables import WorkerBeat
from usecases.queries import reads
from usecases.queries.views import Overview

router = APIRouter(tags=["health"])
WORKER_STALE_AFTER = timedelta(seconds=30)
_lag_cache: dict[str, Any] = {"at": 0.0, "value": None}


@router.get("/health")
async def health(engine: EngineDep, settings: SettingsDep) -> JSONResponse:
    """Overall status with the state of the database, the broker and the workers (consumer lag)."""
    database = await asyncio.to_thread(_database, engine)
    broker = await asyncio.to_thread(_broker, settings.bootstrap)
    workers = await asyncio.to_thread(_workers, engine) if database["status"] == "ok" else []
    worker_ok = any(w["status"] == "ok" for w in workers)
    ok = database["status"] == "ok" and broker["status"] == "ok" and worker_ok
    body = {"status": "ok" if ok else "degraded", "database": database, "broker": broker,
            "worker": {"status": "ok" if worker_ok else "down", "instances": workers}}
    return JSONResponse(body, status_code=200 if ok else 503)


@router.get("/api/v1/overview", response_model=Overview, tags=["overview"])
def overview(engine: EngineDep) -> Overview:
    """Public aggregates only: sites, residents in work, open orders and lots, pieces passed, earnings."""
    with reading(engine) as session:
        return reads.overview(session)


def _database(engine: Any) -> dict[str, Any]:
    try:
        with reading(engine) as session:
            session.exec(text("SELECT 1"))  # type: ignore[call-overload]
        return {"status": "ok", "backend": engine.dialect.name}
    except Exception as exc:  # noqa: BLE001 - health reports any failure as a state, never raises
        return {"status": "down", "error": str(exc)[:200]}


def _reachable(bootstrap: str) -> bool:
    """A quick TCP check first, so a missing broker is reported at once rather than after client retries."""
    for server in bootstrap.split(","):
        host, _, port = server.strip().rpartition(":")
        try:
            with socket.create_connection((host or "127.0.0.1", int(port)), timeout=1):
                return True
        except (OSError, ValueError):
            continue
    return False


def _broker(bootstrap: str) -> dict[str, Any]:
    # Lag needs two round trips to the broker; a few seconds of staleness is fine for /health.
    if time.monotonic() - _lag_cache["at"] > 3 or _lag_cache.get("bootstrap") != bootstrap:
        _lag_cache["bootstrap"] = bootstrap
        if not _reachable(bootstrap):
            _lag_cache["value"] = {"status": "down", "bootstrap": bootstrap, "error": "not reachable"}
            _lag_cache["at"] = time.monotonic()
            return _lag_cache["value"]  # type: ignore[no-any-return]
        try:
            _lag_cache["value"] = {"status": "ok", "bootstrap": bootstrap, "consumer_lag": consumer_lag(bootstrap)}
        except Exception as exc:  # noqa: BLE001
            _lag_cache["value"] = {"status": "down", "bootstrap": bootstrap, "error": str(exc)[:200]}
        _lag_cache["at"] = time.monotonic()
    return _lag_cache["value"]  # type: ignore[no-any-return]


def _workers(engine: Any) -> list[dict[str, Any]]:
    now = datetime.now(UTC)
    with reading(engine) as session:
        beats = session.exec(select(WorkerBeat)).all()
    return [{"worker_id": b.worker_id, "status": "ok" if now - b.updated_at < WORKER_STALE_AFTER else "stale",
             "last_seen_s": round((now - b.updated_at).total_seconds(), 1), "partitions": b.partitions,
             "applied_total": b.applied_total, "dead_letters_total": b.dead_letters_total} for b in beats]
