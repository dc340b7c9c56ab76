"""`make bench`: every benchmark in one run; writes bench/results.json and docs/benchmarks.md.

    python -m bench.run [--quick] [--only PIECE,...]

PIECE is one of raw, pipeline, pg_pipeline, pay, pg_pay, match, dashboard, api, api_open_loop, rss, scale, growth.

A piece that fails or is not there yet is reported as not measured, with the reason: never a number.
Each piece's system is checked for every invariant (`microfactory audit`) as it stops; the run exits 1 when
any check found a violation (the verdict is in results.json under `invariants` and at the top of the report).
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import pay_latency, pipeline_bench, scale_bench
from bench.match_report import write_fairness_chart
from bench.production_report import write_growth_chart
from bench.report import GOALS, ROOT, cpu_ticks, machine, markdown, python_reference_ms, steal_pct, verdict
from services.harness import System

log = logging.getLogger("bench")


def optional(module: str, what: str) -> Callable[[bool], dict[str, Any]]:
    """A benchmark another module provides, if that module exists."""

    def run(quick: bool) -> dict[str, Any]:
        try:
            found = importlib.import_module(f"bench.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"bench.{module}":
                raise
            raise LookupError(f"bench/{module}.py is not there yet: {what} not measured") from None
        return dict(found.run(quick))

    return run


PIECES: dict[str, Callable[[bool], dict[str, Any]]] = {
    "raw": pipeline_bench.raw_consume,
    "pipeline": pipeline_bench.pipeline,
    "pg_pipeline": pipeline_bench.production_path,
    "pay": pay_latency.run,
    "pg_pay": pay_latency.run_postgres,
    "match": optional("match_bench", "the matching figures"),
    "dashboard": optional("dashboard_bench", "dashboard_first_paint_s"),
    "api": optional("api_load", "api_p99_ms_200_clients"),
    "api_open_loop": optional("api_open_loop", "the API under an open-loop load"),
    "rss": scale_bench.worker_peak_rss,
    "scale": scale_bench.scale_out,
    "growth": optional("growth_bench", "how cost grows from a community to a province"),
}


def run_all(quick: bool, only: list[str]) -> tuple[dict[str, Any], list[str]]:
    results: dict[str, Any] = {"machine": machine(), "quick": quick}
    notes: list[str] = []
    started = time.monotonic()
    System.check_at_stop = True  # each piece's system is checked for every invariant as it stops
    for name in only:
        t0 = time.monotonic()
        log.warning("bench: %s …", name)
        try:
            figures = PIECES[name](quick)
        except LookupError as exc:
            notes.append(str(exc))
            continue
        except Exception as exc:  # noqa: BLE001 - one broken piece must not hide the others' figures
            notes.append(f"{name} failed, not measured: {type(exc).__name__}: {str(exc).splitlines()[0][:300]}")
            log.error("bench: %s failed\n%s", name, traceback.format_exc())
            continue
        results.update(figures)
        results[f"{name}_seconds"] = round(time.monotonic() - t0, 1)
        log.warning("bench: %s done in %.0f s: %s", name, time.monotonic() - t0, figures)
    if "raw_consume_events_per_s" in results and "pipeline_events_per_s" in results:
        results["pipeline_vs_raw_ratio"] = round(results["pipeline_events_per_s"]
                                                 / results["raw_consume_events_per_s"], 3)
    if "raw_consume_events_per_s" in results and "pg_pipeline_events_per_s" in results:
        results["pg_pipeline_vs_raw_ratio"] = round(results["pg_pipeline_events_per_s"]
                                                    / results["raw_consume_events_per_s"], 3)
    results["invariants"] = invariants_at_the_end(System.checked)
    results["total_s"] = round(time.monotonic() - started)
    m = results["machine"]
    m["load_average_at_end"] = list(os.getloadavg())
    m["python_reference_ms_at_end"] = python_reference_ms()
    m["cpu_steal_pct"] = steal_pct(m.pop("cpu_ticks_at_start"), cpu_ticks())
    return results, notes


def invariants_at_the_end(checked: list[dict[str, Any]]) -> dict[str, Any]:
    """What `microfactory audit`'s checks found on each benchmark's database as its system stopped: a verdict.

    Every benchmark world is one the product could have produced (bench/work_lots.py builds the orders, lots,
    accepted offers and counters behind the bulk-built work), so any violation is a fault, in the product or
    in a world: `ok` false makes `make bench` exit non-zero. `verdict` is the line the report and the console
    show.
    """
    ok = all(c["ok"] for c in checked)
    violations = sum(c["violations"] for c in checked)
    checks = sorted({name for c in checked for name in c["checks"]})
    verdict = ("not checked: no piece of this run started a system" if not checked else
               f"held on all {len(checked)} benchmark databases" if ok else
               f"BROKEN: {violations} violations on {sum(1 for c in checked if not c['ok'])} of {len(checked)} "
               f"benchmark databases ({', '.join(checks)})")
    return {"ok": ok, "verdict": f"invariants {verdict}", "systems_checked": len(checked),
            "per_database": [{k: c[k] for k in ("database", "ok", "violations", "checks", "seconds")} for c in checked],
            "violations": violations, "checks": checks,
            "first": [v for c in checked for v in c["first"]][:10]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, a few minutes")
    parser.add_argument("--only", default=",".join(PIECES), help=f"comma-separated, of: {', '.join(PIECES)}")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument("--doc", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s")
    only = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = [p for p in only if p not in PIECES]
    if unknown:
        parser.error(f"--only: unknown {', '.join(unknown)}; choose from {', '.join(PIECES)}")
    results, notes = run_all(args.quick, only)
    results["notes"] = notes
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2, ensure_ascii=False, default=str)
    with open(args.doc, "w") as f:
        f.write(markdown(results, notes, args.quick))
    write_fairness_chart(results, Path(args.doc))
    write_growth_chart(results, Path(args.doc))
    print(f"\n{'key':34} {'figure':>14}  goal")
    for key, (_, goal, _) in GOALS.items():
        value = results.get(key)
        shown = "not measured" if value is None else str(value)
        print(f"{key:34} {shown:>14}  {goal:12} {verdict(key, value, results) if value is not None else ''}")
    for note in notes:
        print(f"note: {note}")
    checked = results["invariants"]
    print(f"\n{checked['verdict']}")
    for c in checked["per_database"]:
        print(f"  {'ok' if c['ok'] else 'BROKEN':6} {c['violations']:>6} violations  {c['database']}  {c['checks']}")
    for v in checked["first"]:
        print(f"  - {v['check']}: {v['reason_en']} {({k: x for k, x in v.items() if k.endswith('_id')})}")
    print(f"\nwrote {args.out} and {args.doc} in {results['total_s']} s")
    if not checked["ok"]:
        sys.exit(1)  # a benchmark whose system broke an invariant measured a broken system


if __name__ == "__main__":
    main()
