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

from services.api.deps import EngineDep, SettingsDep, read
from services.broker import KnownEnds, consumer_positions
from services.consumer_watch import ProgressWatch
from store.db import reading
from store.tables import WorkerBeat
from usecases import invariants
from usecases.queries import reads
from usecases.queries.views import Overview

router = APIRouter(tags=["health"])
WORKER_STALE_AFTER = timedelta(seconds=30)
_lag_cache: dict[str, Any] = {"at": 0.0, "value": None}
_watches: dict[tuple[str, float], ProgressWatch] = {}  # (bootstrap, stall_after_s) → what this process has seen
_known_ends: dict[str, KnownEnds] = {}  # bootstrap → the ends of the last batches read (services.broker._true_ends)


@router.get("/health")
async def health(engine: EngineDep, settings: SettingsDep) -> JSONResponse:
    """Overall status: the database, the broker, the workers (consumer lag) and the last invariant check."""
    database = await asyncio.to_thread(_database, engine)
    broker = await asyncio.to_thread(_broker, settings.bootstrap, settings.consumer_stall_after_s)
    workers = await asyncio.to_thread(_workers, engine) if database["status"] == "ok" else []
    worker_ok = any(w["status"] == "ok" for w in workers)
    stalled = [f"{c['group']} on {c['topic']}" for c in broker.get("consumers", []) if c["status"] != "ok"]
    checked = await asyncio.to_thread(_invariants, engine) if database["status"] == "ok" else None
    # An old invariant check is shown with its age but does not turn health red; a failed one does.
    held = checked is None or checked["status"] != "failed"
    ok = database["status"] == "ok" and broker["status"] == "ok" and worker_ok and not stalled and held
    body = {"status": "ok" if ok else "degraded", "database": database, "broker": broker,
            "worker": {"status": "ok" if worker_ok else "down", "instances": workers},
            "consumers": {"status": "stalled" if stalled else "ok", "stalled": stalled,
                          "stall_after_s": settings.consumer_stall_after_s},
            "invariants": checked or {"status": "never_checked"}}
    return JSONResponse(body, status_code=200 if ok else 503)


@router.get("/api/v1/overview", response_model=Overview, tags=["overview"])
async def overview(engine: EngineDep) -> Overview:
    """Public aggregates only: sites, residents in work this month (Asia/Shanghai; pieces of theirs passed and paid
    in it), open orders and lots, pieces passed, earnings."""
    return await read(engine, reads.overview, now=datetime.now(UTC))


def _invariants(engine: Any) -> dict[str, Any] | None:
    """The last `microfactory audit` run: when, how long ago, whether every invariant held."""
    try:
        return invariants.latest(engine)
    except Exception as exc:  # noqa: BLE001 - health reports any failure as a state, never raises
        return {"status": "unknown", "error": str(exc)[:200]}


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


def _broker(bootstrap: str, stall_after_s: float) -> dict[str, Any]:
    # Lag needs two round trips to the broker; a few seconds of staleness is fine for /health (but less than
    # half the stall time, so a stall shows within about that time).
    if time.monotonic() - _lag_cache["at"] > min(3.0, stall_after_s / 2) or _lag_cache.get("bootstrap") != bootstrap:
        _lag_cache["bootstrap"] = bootstrap
        if not _reachable(bootstrap):
            _lag_cache["value"] = {"status": "down", "bootstrap": bootstrap, "error": "not reachable"}
            _lag_cache["at"] = time.monotonic()
            return _lag_cache["value"]  # type: ignore[no-any-return]
        try:
            watch = _watches.setdefault((bootstrap, stall_after_s), ProgressWatch(stall_after_s))
            positions = consumer_positions(bootstrap, _known_ends.setdefault(bootstrap, {}))
            consumers = watch.observe(positions, time.monotonic())
            lag: dict[str, int] = {}
            for c in consumers:
                lag[c["topic"]] = max(lag.get(c["topic"], 0), c["lag"])
            _lag_cache["value"] = {"status": "ok", "bootstrap": bootstrap, "consumer_lag": lag, "consumers": consumers}
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
