"""The faults `/health` must show within their time: poison records, a frozen worker, a held write lock.

`make chaos` injects each once after its kills (bench/chaos.py) and records how long `/health` took to
show it and to be ok again. The end-to-end tests use the same poison records.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import httpx
from kafka import KafkaProducer

from schemas.catalogue import CATALOGUE
from schemas.envelope import encode
from schemas.events.orders import LotCreated
from services.harness import System

STALL_AFTER_S = 5.0  # CONSUMER_STALL_AFTER_S of the chaos run's processes
BUSY_TIMEOUT_S = 30.0  # store/db.py: a writer waits this long for the lock, then fails with "database is locked"
WORKER_STALE_S = 30.0  # /health: a worker that has not beaten for this long is down
Record = tuple[str, bytes | None, bytes | None]  # topic, key, value
LAST_SEEN: dict[str, Any] = {}  # the last /health body a wait saw, for the log when a fault is not seen
log = logging.getLogger("chaos")


def poison(topic: str) -> list[tuple[bytes | None, bytes | None]]:
    """(key, value) of records no consumer can apply; each names its topic and a fresh id, so each is told apart."""
    tag = f"{topic}/{uuid4().hex[:8]}".encode()
    issue_20 = {"event_id": str(uuid4()), "type": "work.inspection_recorded", "schema_version": "x",
                "occurred_at": "2026-11-29T08:00:00+00:00", "key": "comm-001", "producer": tag.decode(),
                "inspection_id": "ins-x", "submission_id": "sub-x", "lot_id": "lot-x", "resident_id": "comm-001-r001",
                "passed": 5, "rejected": 0, "defect_codes": [], "actor": "coord1"}
    elsewhere = LotCreated(event_id=uuid4(), occurred_at=datetime.now(UTC), key="comm-001", producer=tag.decode(),
                           lot_id="o-L001", order_id="o", lot_no=1, pieces=60, due_at=datetime(2027, 1, 1, tzinfo=UTC))
    values = [
        json.dumps(issue_20).encode(),  # the record of issue 20: a version that is not a number
        b"[" * 50_000 + tag,  # RecursionError in Python's json
        b'{"type": "work.inspection_recorded", "passed": ' + b"9" * 5000 + b', "t": "' + tag + b'"}',  # int limit
        b"\xff\xfe" + tag,  # not UTF-8
        b'["' + tag + b'"]',  # JSON, not an object
        b'{"type": ["' + tag + b'"]}',  # a type tag that is not a string
        b'{"type": "order.teleported", "t": "' + tag + b'"}',  # an unknown type
    ]
    if topic != "mf.lots.v1":
        values.append(encode(elsewhere))  # a valid event on a topic it does not belong to
    records: list[tuple[bytes | None, bytes | None]] = [(b"comm-001", v) for v in values]
    records.append((b"\xff\xfe-" + tag, b"not json " + tag))  # a key that is not UTF-8 either
    return records


def send(bootstrap: str, records: list[Record]) -> None:
    """Produce raw records, as a buggy or hostile producer would."""
    producer = KafkaProducer(bootstrap_servers=bootstrap)
    for topic, key, value in records:
        producer.send(topic, key=key, value=value)
    producer.flush()
    producer.close()


def health(system: System) -> dict[str, Any]:
    """/health's body, or {} when the API does not answer."""
    try:
        return system.api.get("/health", timeout=10).json()  # type: ignore[no-any-return]
    except (httpx.HTTPError, ValueError):
        return {}


def seconds_until(check: Callable[[dict[str, Any]], bool], system: System, timeout: float) -> float | None:
    """Seconds until /health's body passes `check`, or None if it did not within `timeout`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        body = health(system)
        if check(body):
            return round(time.monotonic() - started, 1)
        LAST_SEEN["health"] = body
        time.sleep(0.25)
    log.warning("/health did not pass %s within %.0f s; last seen: %s", getattr(check, "__name__", "the check"),
                timeout, json.dumps(LAST_SEEN.get("health"), ensure_ascii=False)[:2000])
    return None


def dead_lettered(body: dict[str, Any]) -> int:
    return sum(w["dead_letters_total"] for w in body.get("worker", {}).get("instances", []) if w["status"] == "ok")


def stalled(body: dict[str, Any]) -> bool:
    return bool(body.get("consumers", {}).get("stalled"))


def ok(body: dict[str, Any]) -> bool:
    return body.get("status") == "ok"


def poison_records(system: System) -> dict[str, Any]:
    """Poison on every consumed topic: each dead-lettered (the worker's count in /health), no consumer stalled."""
    before = dead_lettered(health(system))
    records = [(spec.name, key, value) for spec in CATALOGUE if spec.consumers for key, value in poison(spec.name)]
    expected = sum(len(spec.consumers) for spec in CATALOGUE for topic, _, _ in records if spec.name == topic)
    send(system.settings.bootstrap, records)
    detected = seconds_until(lambda body: dead_lettered(body) >= before + expected, system, timeout=60)
    return {"records": len(records), "dead_letters_expected": expected, "detected_s": detected,
            "limit_s": 60, "stalled_after": stalled(health(system))}


def frozen_worker(system: System) -> dict[str, Any]:
    """SIGSTOP the worker while records arrive: /health names a stalled consumer; SIGCONT: ok again."""
    pid = system.procs["worker"].pid
    os.killpg(pid, signal.SIGSTOP)
    try:  # one poison record a topic: something to read for every consumer, whatever the people do meanwhile
        send(system.settings.bootstrap, [(spec.name, *poison(spec.name)[0]) for spec in CATALOGUE if spec.consumers])
        detected = seconds_until(stalled, system, timeout=STALL_AFTER_S + 15)
        named = health(system).get("consumers", {}).get("stalled", [])
    finally:
        os.killpg(pid, signal.SIGCONT)
    recovered = seconds_until(ok, system, timeout=90)
    return {"detected_s": detected, "limit_s": STALL_AFTER_S + 15, "stalled": named, "recovered_s": recovered}


def held_write_lock(system: System) -> dict[str, Any]:
    """Hold SQLite's write lock past the busy timeout: /health degrades; released, it is ok again."""
    if not system.settings.database_url.startswith("sqlite:///"):
        return {"skipped": "not SQLite"}
    pids = {name: system.procs[name].pid for name in ("worker", "relay")}
    lock = sqlite3.connect(system.settings.database_url.removeprefix("sqlite:///"), isolation_level=None, timeout=60)
    lock.execute("BEGIN IMMEDIATE")
    started = time.monotonic()
    try:
        send(system.settings.bootstrap, [(spec.name, *poison(spec.name)[0]) for spec in CATALOGUE if spec.consumers])
        limit = max(STALL_AFTER_S, WORKER_STALE_S) + 10
        detected = seconds_until(lambda body: not ok(body), system, timeout=limit)
        body = health(system)
        time.sleep(max(0.0, BUSY_TIMEOUT_S + 5 - (time.monotonic() - started)))  # every writer's wait runs out
        alive = {name: system.procs[name].pid == pid and system.procs[name].poll() is None  # not even revived
                 for name, pid in pids.items()}
    finally:
        with contextlib.suppress(sqlite3.Error):
            lock.execute("ROLLBACK")
        lock.close()
    recovered = seconds_until(ok, system, timeout=120)
    return {"detected_s": detected, "limit_s": limit, "held_s": round(time.monotonic() - started, 1),
            "shown_as": {"consumers_stalled": stalled(body), "worker": body.get("worker", {}).get("status")},
            "processes_still_running": alive, "recovered_s": recovered}


def inject(system: System) -> dict[str, Any]:
    """Each fault once, in turn; the outcome of each with its detection and recovery times."""
    return {"poison_records": poison_records(system), "frozen_worker": frozen_worker(system),
            "held_write_lock": held_write_lock(system)}


def all_detected(outcome: dict[str, Any]) -> bool:
    """Every fault seen by /health within its limit, ok again afterwards, and no process stopped by it."""
    poisoned, frozen, locked = outcome["poison_records"], outcome["frozen_worker"], outcome["held_write_lock"]
    return (poisoned["detected_s"] is not None and not poisoned["stalled_after"]
            and frozen["detected_s"] is not None and frozen["recovered_s"] is not None
            and ("skipped" in locked or (locked["detected_s"] is not None and locked["recovered_s"] is not None
                                         and all(locked["processes_still_running"].values()))))
