"""Two workers divide the partitions; killing one mid-flow hands its share to the other; the ledger is one worker's
(the worker's consumers applied in this process on the same seeded month: bench.scale_bench.inline_month_ledger).

That two live workers pay entry by entry what one pays is proved on the production path, PostgreSQL
(test_the_production_path_on_postgresql_pays_exactly.py); here the second worker dies mid-flow on SQLite.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench.backbone import applied, new_system, start_workers, wait_applied
from bench.scale_bench import applied_by_worker, inline_month_ledger, ledger
from bench.work_world import build_work
from services.harness import wait_until
from usecases.reconcile import reconcile

INSPECTIONS, SEED = 8_000, 5  # one in 25 a correction: reversal plus new pay; the relay sends them in two rounds


@pytest.fixture(scope="module")
def one_worker() -> tuple[list[tuple[Any, ...]], bool]:
    """The ledger one worker makes of the seeded month, and whether it reconciles."""
    return inline_month_ledger(inspections=INSPECTIONS, seed=SEED)


def test_a_worker_killed_mid_flow_loses_nothing_and_pays_nothing_twice(
        tmp_path: Path, one_worker: tuple[list[tuple[Any, ...]], bool]) -> None:
    expected, _ = one_worker
    system = new_system(tmp_path)
    try:
        build_work(system.engine, system.settings, inspections=INSPECTIONS, seed=SEED, corrections_every=25)
        start_workers(system, 2)
        system.start("relay")
        wait_until(lambda: applied(system) > 0, timeout=60, what="the first batch applied", system=system)
        system.kill("worker-2")  # kill -9, whatever it was doing
        assert applied(system) < INSPECTIONS  # mid-flow: its partitions still had work
        wait_applied(system, INSPECTIONS, timeout=180)
        assert ledger(system) == expected
        assert reconcile(system.engine) == []
        assert applied_by_worker(system)["worker-1"]["applied"] > 0
    finally:
        system.stop()
