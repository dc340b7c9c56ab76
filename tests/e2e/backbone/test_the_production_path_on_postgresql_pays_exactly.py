"""The production path as docker-compose.yml deploys it: PostgreSQL, two workers, the relay, the API in two processes.

The same seeded month paid by two workers on PostgreSQL is, entry by entry, what the worker's consumers pay on SQLite
(applied in this process, usecases.inline: the same 4,684 entries a worker process pays, in a sixth of the time; the
SQLite worker process itself is what the other backbone tests run); and a hand-in accepted through the API (served by
two processes) shows as the resident's earning.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.backbone import applied, start_workers, wait_applied
from bench.scale_bench import applied_by_worker, inline_month_ledger, ledger
from bench.work_world import build_work
from services.harness import System, scratch_postgres, wait_until
from usecases.reconcile import reconcile

pytestmark = pytest.mark.postgres
INSPECTIONS, SEED = 3_000, 8


def test_two_workers_on_postgresql_pay_what_one_worker_pays_on_sqlite(tmp_path: Path) -> None:
    expected, sqlite_exact = inline_month_ledger(inspections=INSPECTIONS, seed=SEED)
    with scratch_postgres("mf_e2e") as url:
        system = System(tmp_path, database_url=url, extra_env={"REDELIVERY_AFTER_S": "60", "API_PROCESSES": "2"})
        try:
            work = build_work(system.engine, system.settings, inspections=INSPECTIONS, seed=SEED,
                              corrections_every=25)
            start_workers(system, 2)
            system.start("relay")
            system.start("api")
            wait_applied(system, INSPECTIONS, timeout=300)
            assert sqlite_exact and ledger(system) == expected  # keys, amounts, periods, reversals
            assert reconcile(system.engine) == []
            wait_until(lambda: all(w["applied"] > 0 for w in applied_by_worker(system).values()), timeout=10,
                       what="both workers' heartbeats", system=system)
            assert sorted(applied_by_worker(system)) == ["worker-1", "worker-2"]

            # One hand-in through the API: 3 pieces, all passing, at the lot's rate plus its quality bonus.
            resident = next(iter(work.lots))
            lot_id = work.lots[resident]
            coordinator = f"coord{int(resident.split('-')[1])}"
            before = system.call("GET", f"/api/v1/residents/{resident}/earnings", coordinator).json()["total_fen"]
            reply = system.call("POST", f"/api/v1/residents/{resident}/submissions", coordinator,
                                json={"lot_id": lot_id, "pieces": 3})
            assert reply.status_code == 201, reply.text
            reply = system.call("POST", "/api/v1/inspections", coordinator,
                                json={"submission_id": reply.json()["submission_id"], "passed": 3, "rejected": 0})
            assert reply.status_code == 201, reply.text
            want = before + 3 * (work.rate_of_lot[lot_id] + work.bonus_of_lot[lot_id])
            wait_until(lambda: system.call("GET", f"/api/v1/residents/{resident}/earnings", coordinator)
                       .json()["total_fen"] == want, timeout=60, what="the hand-in's earning", system=system)
            assert applied(system) == INSPECTIONS + 1
        finally:
            system.stop()
