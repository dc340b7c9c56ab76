"""The benchmarks' bulk-built month: processed by the earnings consumer it pays exactly what the inspections
say (corrections reversed), and the same seed gives the same ledger, entry by entry."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import select

from bench.report import markdown
from bench.scale_bench import tree_kib
from bench.work_world import build_work
from store.db import make_engine, reading
from store.migrate import upgrade
from store.tables import LedgerEntry
from usecases.inline import pump
from usecases.reconcile import reconcile
from usecases.settings import Settings


def month(tmp_path: Path, name: str, seed: int) -> tuple[Engine, list[tuple[Any, ...]]]:
    url = f"sqlite:///{tmp_path / name}"
    upgrade(url)
    engine = make_engine(url)
    settings = Settings(DATABASE_URL=url, DEMO=False, LOG_DIR=tmp_path / "logs")
    build_work(engine, settings, inspections=300, seed=seed, corrections_every=7)
    pump(engine, settings)
    with reading(engine) as session:
        entries = sorted((e.entry_key, e.kind, e.resident_id, e.amount_fen, e.period_id)
                         for e in session.exec(select(LedgerEntry)))
    return engine, entries


def test_the_bulk_month_pays_exactly_with_reversals_and_repeats_for_the_same_seed(tmp_path: Path) -> None:
    first, entries = month(tmp_path, "a.db", seed=4)
    again, same = month(tmp_path, "b.db", seed=4)
    _, other = month(tmp_path, "c.db", seed=5)
    assert reconcile(first) == []
    kinds = {e[1] for e in entries}
    assert {"piece_pay", "reversal"} <= kinds
    assert sum(1 for e in entries if e[1] == "piece_pay") == 300
    assert entries == same
    assert entries != other
    for engine in (first, again):
        engine.dispose()


def test_the_report_shows_missing_figures_as_not_measured_never_as_numbers() -> None:
    results = {"machine": {"cpu": "x", "cores": 2, "ram_gb": 1, "python": "3.11", "date": "d", "commit": "c"},
               "pipeline_events_per_s": 12_345, "scale_out_ok": False}
    page = markdown(results, ["bench/api_load.py is not there yet"], quick=True)
    assert "| `pipeline_events_per_s` | 12,345 | ≥ 20,000 | **not met** |" in page
    assert "| `dashboard_first_paint_s` | not measured |" in page
    assert "| `scale_out_ok` | false | true | **not met** |" in page
    assert "bench/api_load.py is not there yet" in page


def test_the_memory_sampler_reads_a_live_process_tree() -> None:
    assert tree_kib(os.getpid()) > 10_000
    assert tree_kib(2**22 + 12345) == 0  # gone: nothing, not an error


def test_a_broken_invariant_on_any_benchmark_database_is_the_run_s_verdict_in_the_report() -> None:
    from bench.run import invariants_at_the_end

    held = {"database": "sqlite:///a.db", "ok": True, "violations": 0, "checks": [], "seconds": 0.1, "first": []}
    broken = {"database": "sqlite:///b.db", "ok": False, "violations": 3, "checks": ["over_committed"],
              "seconds": 0.2, "first": [{"check": "over_committed", "resident_id": "r1", "reason_en": "x"}]}
    good, bad = invariants_at_the_end([held]), invariants_at_the_end([held, broken])
    assert good["ok"] and good["verdict"] == "invariants held on all 1 benchmark databases"
    assert not bad["ok"] and bad["verdict"] == ("invariants BROKEN: 3 violations on 1 of 2 benchmark databases "
                                                "(over_committed)")
    machine = {"cpu": "x", "cores": 2, "ram_gb": 1, "python": "3.11", "date": "d", "commit": "c"}
    page = markdown({"machine": machine, "invariants": bad}, [], quick=True)
    assert "**invariants BROKEN: 3 violations on 1 of 2 benchmark databases (over_committed)**" in page
    assert "- **broken**: 3 violations in sqlite:///b.db (over_committed)" in page
