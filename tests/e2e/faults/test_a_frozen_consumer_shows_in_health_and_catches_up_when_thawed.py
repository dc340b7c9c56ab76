"""Issue 20, fault 3: a consumer that is alive but not advancing is visible in /health within the stall time.

The worker is frozen (SIGSTOP) while orders arrive: /health turns degraded and names the consumer group and
topic that is behind and not committing; thawed (SIGCONT), it catches up, /health is ok again, nothing is lost.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.chaos_checks import Inputs, assert_nothing_lost_nothing_twice, settled
from bench.workload import post_orders
from services.demo.city import build_city
from services.demo.seed import load_city
from services.harness import System, wait_until

STALL_AFTER_S = "3"


@pytest.fixture
def system(tmp_path: Path) -> Iterator[System]:
    """The running system with a short stall time for /health."""
    sys_ = System(tmp_path, extra_env={"CONSUMER_STALL_AFTER_S": STALL_AFTER_S})
    load_city(sys_.engine, sys_.settings, build_city(communities=1, residents_per_community=12))
    sys_.start_all()
    try:
        yield sys_
    finally:
        if "worker" in sys_.procs:  # never leave a frozen process behind
            with contextlib.suppress(ProcessLookupError):
                os.killpg(sys_.procs["worker"].pid, signal.SIGCONT)
        sys_.stop()


def health(system: System) -> dict[str, Any]:
    return system.api.get("/health").json()  # type: ignore[no-any-return]


def test_a_frozen_worker_turns_health_degraded_naming_the_stuck_consumer_and_thawed_it_catches_up(
        system: System) -> None:
    inputs = Inputs()
    post_orders(system, 1, inputs)
    wait_until(lambda: health(system)["status"] == "ok" and settled(system.engine), timeout=90,
               what="a healthy, settled system", system=system)

    os.killpg(system.procs["worker"].pid, signal.SIGSTOP)
    post_orders(system, 2, inputs)  # they reach the orders topic; nobody splits them
    wait_until(lambda: "microfactory on mf.orders.v1" in health(system)["consumers"]["stalled"], timeout=30,
               what="/health naming the frozen consumer", system=system)
    body = health(system)
    assert body["status"] == "degraded"
    # The orders topic has two readers: the splitter (a faust agent, group microfactory) and the notifier (a batch
    # consumer of its own group); the frozen worker holds both.
    readers = {c["group"]: c for c in body["broker"]["consumers"] if c["topic"] == "mf.orders.v1"}
    assert set(readers) == {"microfactory", "microfactory-notifier"}
    orders = readers["microfactory"]
    assert orders["lag"] > 0 and orders["status"] == "stalled"
    assert readers["microfactory-notifier"]["lag"] > 0 and readers["microfactory-notifier"]["status"] == "stalled"
    assert orders["last_progress_s"] > float(STALL_AFTER_S)

    os.killpg(system.procs["worker"].pid, signal.SIGCONT)
    wait_until(lambda: settled(system.engine), timeout=90, what="the frozen-in orders split", system=system)
    wait_until(lambda: health(system)["status"] == "ok", timeout=60, what="/health ok again", system=system)
    assert_nothing_lost_nothing_twice(system.engine, inputs)
