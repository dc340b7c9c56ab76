"""Issue 20, fault 4: a database that is locked for longer than its busy timeout is waited out.

The SQLite write lock is held for longer than the busy timeout (SQLITE_BUSY_TIMEOUT_S, shortened here so the test
does not sleep through the 30 s default) while events wait on the broker for the worker: nothing is dead-lettered,
the worker and the relay keep running, and once the lock is released every event is applied, once.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

import pytest
from kafka import KafkaProducer
from sqlalchemy import func
from sqlmodel import select

from bench.chaos_checks import Inputs, assert_nothing_lost_nothing_twice, settled
from bench.workload import post_orders, run_work
from schemas.envelope import encode
from schemas.events.people import AvailabilityChanged
from services.harness import System, wait_until
from store.db import reading
from store.tables import AppliedEvent, DeadLetter
from tests.e2e.conftest import running_city

BUSY_TIMEOUT_S = 5  # SQLITE_BUSY_TIMEOUT_S for this system: a writer waits this long, then "database is locked"


@pytest.fixture
def system(tmp_path: Path) -> Iterator[System]:
    """The e2e system of tests/e2e/conftest.py, its processes waiting BUSY_TIMEOUT_S for a lock."""
    with running_city(tmp_path, {"SQLITE_BUSY_TIMEOUT_S": str(BUSY_TIMEOUT_S)}) as sys_:
        yield sys_


def test_a_write_lock_held_past_the_busy_timeout_dead_letters_nothing_and_stops_no_process(system: System) -> None:
    inputs = Inputs()
    post_orders(system, 1, inputs)
    wait_until(lambda: bool(system.call("GET", "/api/v1/offers", "coord1", params={"status": "pending"}).json()),
               timeout=60, what="the first offer", system=system)
    run_work(system, inputs, seconds=4)

    os.killpg(system.procs["worker"].pid, signal.SIGSTOP)  # events pile up on the broker meanwhile
    try:
        post_orders(system, 2, inputs)
        run_work(system, inputs, seconds=3)
        time.sleep(2)  # the relay publishes them
        lock = sqlite3.connect(system.settings.database_url.removeprefix("sqlite:///"), isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")
    finally:
        os.killpg(system.procs["worker"].pid, signal.SIGCONT)
    try:
        moved = AvailabilityChanged(event_id=uuid4(), occurred_at=datetime.now(UTC), key="comm-001", producer="test",
                                    resident_id="comm-001-r001", availability=[(0, 540, 600)])
        producer = KafkaProducer(bootstrap_servers=system.settings.bootstrap)
        producer.send("mf.people.v1", key=b"comm-001", value=encode(moved))
        producer.flush()
        producer.close()
        time.sleep(BUSY_TIMEOUT_S + 5)  # every writer's wait runs out at least once
        assert system.procs["worker"].poll() is None and system.procs["relay"].poll() is None
        # The fault happened: the worker's wait ran out (the shortened timeout reached it) and it is retrying.
        assert "database is locked" in (system.logs / "worker.log").read_text(errors="replace")
    finally:
        lock.execute("ROLLBACK")
        lock.close()

    wait_until(lambda: settled(system.engine), timeout=90, what="every event applied after the lock", system=system)
    with reading(system.engine) as session:
        assert session.exec(select(func.count()).select_from(DeadLetter)).one() == 0
        assert session.get(AppliedEvent, ("matcher", str(moved.event_id))) is not None
    assert system.procs["worker"].poll() is None and system.procs["relay"].poll() is None
    assert_nothing_lost_nothing_twice(system.engine, inputs)
    wait_until(lambda: system.api.get("/health").json()["status"] == "ok", timeout=60, what="/health ok again",
               system=system)
