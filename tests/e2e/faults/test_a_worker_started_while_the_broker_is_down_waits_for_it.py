"""A worker started before its broker waits for it, saying so in its log, and works once it is up (it exited with
status 1 within seconds, for a supervisor to start it again)."""

from __future__ import annotations

from pathlib import Path

from bench.chaos_checks import Inputs, assert_nothing_lost_nothing_twice, lost_inputs
from bench.workload import post_orders
from services.demo.city import build_city
from services.demo.seed import load_city
from services.harness import System, wait_until
from store.db import reading


def test_a_worker_started_while_the_broker_is_down_waits_for_it_and_then_splits_orders(tmp_path: Path) -> None:
    system = System(tmp_path)
    load_city(system.engine, system.settings, build_city(communities=1, residents_per_community=12))
    try:
        system.start("worker")  # nothing listens on the broker's port yet

        def says_it_waits() -> bool:
            assert system.procs["worker"].poll() is None, f"the worker exited:\n{system.log_tail('worker')}"
            return "unreachable" in _worker_log(system)

        wait_until(says_it_waits, timeout=60, what="the worker saying it waits for the broker", system=system)
        assert f"broker at {system.settings.bootstrap} unreachable" in _worker_log(system)

        system.start_broker()
        for name in ("relay", "api"):
            system.start(name)
        inputs = Inputs()
        post_orders(system, 1, inputs)

        def split() -> bool:
            with reading(system.engine) as session:
                return not lost_inputs(session, inputs)

        wait_until(split, timeout=60, what="the order split by the worker that waited", system=system)
        assert "answers after" in _worker_log(system)
        assert_nothing_lost_nothing_twice(system.engine, inputs)
    finally:
        system.stop()  # and the invariants checked on its database (tests/e2e/conftest.py)


def _worker_log(system: System) -> str:
    return (system.logs / "worker.log").read_text(errors="replace")
