"""The benchmark's record: the machine it ran on, and every figure beside its goal, as JSON and as Markdown."""

from __future__ import annotations

import os
import platform
import subprocess
import timeit
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.match_report import fairness_section
from bench.production_report import production_section

ROOT = Path(__file__).resolve().parent.parent

# key -> (what it is, goal as text, check of the figure against the goal or None when there is no goal)
GOALS: dict[str, tuple[str, str, Any]] = {
    "raw_consume_events_per_s": ("broker raw consume rate, aiokafka, no processing (the ceiling)", "—", None),
    "pipeline_events_per_s": ("inspection → earning committed, one worker, events/s", "≥ 20,000",
                              lambda v: v >= 20_000),
    "pipeline_vs_raw_ratio": ("pipeline rate / raw consume rate", "—", None),
    "pay_latency_p50_ms": ("inspection accepted → earning visible via API, median, ms", "—", None),
    "pay_latency_p99_ms": ("same, 99th percentile, at ~1,000 events/s background", "≤ 500", lambda v: v <= 500),
    "match_solve_s_1000x10000": ("matching batch 1,000 lots × 10,000 residents, s", "≤ 0.25", lambda v: v <= 0.25),
    "match_objective_gap_pct": ("matcher objective gap to the optimum, %", "0", lambda v: v <= 1e-9),
    "match_on_time_ratio_vs_greedy": ("passing pieces on time, matcher / greedy", "≥ 0.99", lambda v: v >= 0.99),
    "match_on_time_ratio_vs_least_earned": ("passing pieces on time, matcher / least-earned-first", "—", None),
    "fair_gini_per_offered_hour": ("Gini of income per offered hour, matcher (residents with eligible work)",
                                   "≤ ½ greedy's and < least-earned-first's", None),
    "greedy_fair_gini_per_offered_hour": ("same, greedy baseline (first come, first served)", "—", None),
    "least_earned_fair_gini_per_offered_hour": ("same, least-earned-first greedy baseline", "—", None),
    "passed_over_share": ("share passed over: eligible for lots given to others, none received all month, matcher",
                          "0", lambda v: v == 0),
    "min_to_median_hourly_ratio": ("lowest decile / median of income per offered hour, matcher", "—", None),
    "match_gini": ("Gini of residents' income (not per hour offered), matcher", "< greedy_gini", None),
    "greedy_gini": ("Gini of residents' income, greedy baseline", "—", None),
    "dashboard_first_paint_s": ("overview first paint with 1,000,000 ledger entries, s", "≤ 2", lambda v: v <= 2),
    "api_p99_ms_200_clients": ("API p99 with 200 concurrent clients, ms", "see the API issue", None),
    "worker_peak_rss_mb": ("worker peak RSS at the city size, MB", "—", None),
    "scale_out_ok": ("two workers' ledger identical to one worker's, to the fen", "true", lambda v: v is True),
    "pg_pipeline_events_per_s": ("inspection → earning committed, one worker, PostgreSQL, events/s", "≥ 15,000",
                                 lambda v: v >= 15_000),
    "pg_pipeline_vs_raw_ratio": ("PostgreSQL pipeline rate / raw consume rate", "—", None),
    "scale_out_speedup": ("two workers' pipeline rate / one worker's, PostgreSQL", "≥ 1.5", lambda v: v >= 1.5),
    "scale_out_ceiling_this_machine": ("highest speedup this machine's cores allow: elapsed₁ × cores ÷ CPU seconds "
                                       "of the two-worker run (METHOD.md)", "—", None),
    "pg_pay_latency_p50_ms": ("pay latency on PostgreSQL, median, ms", "—", None),
    "pg_pay_latency_p99_ms": ("pay latency on PostgreSQL, 99th percentile, ms", "≤ 500", lambda v: v <= 500),
    "api_open_loop_max_rps_p99_200ms": ("highest open-loop rate answered with p99 ≤ 200 ms and no errors, per store",
                                        "≥ 300 on both", None),
    "province_worker_peak_rss_mb": ("worker peak RSS at a province's slice (100,000 residents), MB", "≤ 1,024",
                                    lambda v: v <= 1024),
    "pg_dashboard_first_paint_s_10m": ("overview first paint, 10,000,000 ledger lines on PostgreSQL, s", "≤ 2",
                                       lambda v: v <= 2),
}


def machine() -> dict[str, Any]:
    """What the figures were measured on: they mean little without it."""
    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    mem_kib = next((int(line.split()[1]) for line in _read("/proc/meminfo").splitlines()
                    if line.startswith("MemTotal:")), 0)
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(mem_kib / 1024 / 1024, 1),
            "python": platform.python_version(), "platform": platform.platform(),
            "date": datetime.now(UTC).isoformat(timespec="seconds"), "commit": _commit(),
            "load_average_at_start": list(os.getloadavg()), "python_reference_ms_at_start": python_reference_ms(),
            "cpu_ticks_at_start": cpu_ticks()}


def python_reference_ms() -> float:
    """A fixed pure-Python loop, best of five, in ms: how fast this machine ran Python at the time.

    This virtual machine's speed varies from day to day (neighbours, stolen time) by up to 3×; every figure
    here scales with it, so runs on different days compare through this one.
    """
    def loop() -> int:
        return sum(i * i for i in range(100_000))
    return round(min(timeit.repeat(loop, number=1, repeat=5)) * 1000, 2)


def cpu_ticks() -> list[int]:
    """The machine's CPU time so far in clock ticks, by kind, as /proc/stat counts it (user, nice, system, ...)."""
    first = _read("/proc/stat").splitlines()[:1]
    return [int(x) for x in first[0].split()[1:]] if first and first[0].startswith("cpu ") else []


def steal_pct(before: list[int], after: list[int]) -> float | None:
    """Share of the CPU time between two cpu_ticks() that the hypervisor gave to other machines (field 8, steal)."""
    if len(before) < 8 or len(after) < 8:
        return None
    spent = [b - a for a, b in zip(before, after, strict=False)]
    total = sum(spent[:8])  # guest time (fields 9-10) is already inside user and nice
    return round(100 * spent[7] / total, 1) if total else None


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                             timeout=10)
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, timeout=10)
        return out.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def verdict(key: str, value: Any, results: dict[str, Any]) -> str:
    if key == "match_gini" and isinstance(results.get("greedy_gini"), int | float):
        return "met" if value < results["greedy_gini"] else "not met"
    if key == "api_open_loop_max_rps_p99_200ms" and isinstance(value, dict):
        return "met" if value and min(value.values()) >= 300 else "**not met**"
    if key == "fair_gini_per_offered_hour" and isinstance(results.get("greedy_fair_gini_per_offered_hour"), float):
        met = (value <= 0.5 * results["greedy_fair_gini_per_offered_hour"]
               and value < results.get("least_earned_fair_gini_per_offered_hour", float("inf")))
        return "met" if met else "**not met**"
    check = GOALS.get(key, ("", "", None))[2]
    if check is None or not isinstance(value, int | float | bool):
        return ""
    return "met" if check(value) else "**not met**"


def markdown(results: dict[str, Any], notes: list[str], quick: bool) -> str:
    """docs/benchmarks.md: machine, then each figure with its goal, then how it was measured."""
    m = results["machine"]
    lines = ["# Benchmarks", "", f"Written by `make bench` (`python -m bench.run{' --quick' if quick else ''}`); "
             "every figure below comes from the same run.", "",
             "## Machine", "", "| | |", "|---|---|",
             f"| CPU | {m['cpu']} |", f"| cores | {m['cores']} |", f"| RAM | {m['ram_gb']} GB |",
             f"| Python | {m['python']} |", f"| date | {m['date']} |", f"| commit | {m['commit']} |",
             f"| load average at start / end | {_load(m.get('load_average_at_start'))} / "
             f"{_load(m.get('load_average_at_end'))} |",
             f"| Python reference loop at start / end | {m.get('python_reference_ms_at_start', '?')} / "
             f"{m.get('python_reference_ms_at_end', '?')} ms (lower is faster; see `bench/report.py`) |",
             f"| CPU time stolen by the hypervisor during the run | {_pct(m.get('cpu_steal_pct'))} |",
             f"| run | {'quick (smaller sizes)' if quick else 'full'}, {results.get('total_s', '?')} s |", "",
             *_invariants(results.get("invariants")),
             "## Figures", "", "| key | figure | goal | | what |", "|---|---:|---|---|---|"]
    for key, (what, goal, _) in GOALS.items():
        value = results.get(key)
        shown = "not measured" if value is None else _fmt(value)
        lines.append(f"| `{key}` | {shown} | {goal} | {verdict(key, value, results) if value is not None else ''} "
                     f"| {what} |")
    lines += ["", *fairness_section(results), *production_section(results)]
    lines += ["## Detail", ""]
    lines += [f"- `{k}`: {_fmt(v)}" for k, v in results.items()
              if k not in GOALS and k not in ("machine", "invariants", "match_fairness_curve",
                                                            "api_open_loop", "growth")]
    if notes:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in notes]
    lines += ["", (ROOT / "bench" / "METHOD.md").read_text().strip() if (ROOT / "bench" / "METHOD.md").exists()
              else "", ""]
    return "\n".join(lines)


def _invariants(checked: dict[str, Any] | None) -> list[str]:
    """The audit's verdict on the run's databases (bench/run.py fails the run when it is broken)."""
    if not checked:
        return []
    lines = ["## Invariants", "", f"**{checked.get('verdict', 'invariants: no verdict recorded')}** "
             "(`microfactory audit` on each benchmark's database as its system stopped).", ""]
    lines += [f"- {'ok' if c['ok'] else '**broken**'}: {c['violations']} violations in {c['database']}"
              f"{' (' + ', '.join(c['checks']) + ')' if c['checks'] else ''}" for c in checked.get("per_database", [])]
    return lines + ([""] if checked.get("per_database") else [])


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _load(avg: Any) -> str:
    return " ".join(f"{x:.1f}" for x in avg) if avg else "?"


def _pct(value: Any) -> str:
    return "?" if value is None else f"{value}%"
