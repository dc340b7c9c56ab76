"""The production-path part of docs/benchmarks.md (issue 19): both stores side by side, the API under an open
loop, and how cost grows with size, as tables and a PNG chart drawn by matplotlib's Agg backend (offline)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.match_report import chart_beside

CHART = "img/growth.png"  # relative to the Markdown file it is shown in


def production_section(results: dict[str, Any]) -> list[str]:
    """Markdown lines for what the run measured of the production path; nothing for what it did not."""
    return [*_stores(results), *_cpu(results), *_pay_stages(results), *_open_loop(results), *_growth(results)]


def _stores(results: dict[str, Any]) -> list[str]:
    rows = [("pipeline, one worker, events/s", "pipeline_events_per_s", "pg_pipeline_events_per_s"),
            ("pipeline, two workers, events/s", "sqlite_pipeline_two_workers_events_per_s",
             "pg_pipeline_two_workers_events_per_s"),
            ("pipeline / raw consume", "pipeline_vs_raw_ratio", "pg_pipeline_vs_raw_ratio"),
            ("pay latency p50, ms", "pay_latency_p50_ms", "pg_pay_latency_p50_ms"),
            ("pay latency p99, ms", "pay_latency_p99_ms", "pg_pay_latency_p99_ms")]
    if not any(results.get(pg) is not None for _, _, pg in rows):
        return []
    lines = ["## The two stores", "", "The same seeded input on the embedded default (SQLite) and on PostgreSQL "
             "(the local server, as docker-compose.yml deploys it).", "",
             "| | SQLite | PostgreSQL |", "|---|---:|---:|"]
    lines += [f"| {what} | {_num(results.get(lite))} | {_num(results.get(pg))} |" for what, lite, pg in rows]
    speedup = _num(results.get("scale_out_speedup"))
    return [*lines, "", f"Two workers over one on PostgreSQL (`scale_out_speedup`): {speedup}. On SQLite a second "
            "worker waits for the one write lock the database file has.", ""]


CPU_RUNS = (("SQLite, one worker", "pipeline_cpu_s_by_process"), ("PostgreSQL, one worker",
            "pg_pipeline_cpu_s_by_process"), ("PostgreSQL, two workers", "pg_pipeline_two_workers_cpu_s_by_process"))


def _cpu(results: dict[str, Any]) -> list[str]:
    runs = [(what, results[key]) for what, key in CPU_RUNS if results.get(key)]
    if not runs:
        return []
    lines = ["## Where a pipeline run's CPU went", "", "CPU seconds of each process over the run (PostgreSQL: the "
             "backends serving the run's database), against the elapsed seconds; two cores give at most twice the "
             "elapsed time. A sum well under that means the processes waited on each other.", "",
             "| run | elapsed s | worker(s) | relay | broker | PostgreSQL | sum | sum / (2 × elapsed) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for what, cpu in runs:
        workers = sum(v for k, v in cpu.items() if k.startswith("worker"))
        parts = [workers, cpu.get("relay", 0.0), cpu.get("broker", 0.0), cpu.get("postgresql", 0.0)]
        total, elapsed = sum(parts), cpu.get("elapsed_s") or 0.0
        busy = f"{total / (2 * elapsed):.0%}" if elapsed else "—"
        cells = " | ".join(f"{p:.1f}" for p in parts)
        lines.append(f"| {what} | {elapsed:.1f} | {cells} | {total:.1f} | {busy} |")
    return [*lines, ""]


def _pay_stages(results: dict[str, Any]) -> list[str]:
    runs = [(store, results[key]) for store, key in (("SQLite", "pay_latency_stages_ms"),
                                                     ("PostgreSQL", "pg_pay_latency_stages_ms")) if results.get(key)]
    if not runs:
        return []
    lines = ["## Where a probe's pay latency went", "", "From the database's own timestamps: the inspection's outbox "
             "row committed → the broker acked it (the relay), and → the earnings consumer recorded applying it (the "
             "broker, the fetch and the batch before it). ms.", "",
             "| store | probes | relay p50 | relay p99 | broker and worker p50 | broker and worker p99 |",
             "|---|---:|---:|---:|---:|---:|"]
    for store, st in runs:
        cells = [st.get(k) for k in ("relay_p50", "relay_p99", "broker_and_worker_p50", "broker_and_worker_p99")]
        lines.append(f"| {store} | {st.get('probes')} | " + " | ".join(_num(c) for c in cells) + " |")
    return [*lines, ""]


def _open_loop(results: dict[str, Any]) -> list[str]:
    table = results.get("api_open_loop")
    if not table:
        return []
    lines = ["## The API under an open-loop load", "", "Requests due at a fixed rate (the realistic mix: residents "
             "reading offers, earnings and lots; coordinators' boards; one write in fifty), latency counted from "
             "when each was due; the API in two processes.", "",
             "| store | rate, requests/s | answered/s | p50 ms | p99 ms | errors | p99 ≤ 200 ms, no errors |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for store, rows in table.items():
        lines += [f"| {store} | {r['rate_per_s']} | {r['answered_per_s']} | {r['p50_ms']} | {r['p99_ms']} "
                  f"| {r['errors']} | {'yes' if r['held'] else 'no'} |" for r in rows]
    return [*lines, "", f"Highest rate held: {results.get('api_open_loop_max_rps_p99_200ms')}.", ""]


def _growth(results: dict[str, Any]) -> list[str]:
    rows = results.get("growth")
    if not rows:
        return []
    lines = ["## Growth: a community, a city, a province's slice", "",
             "| size | residents | communities | registry load s | matching batch per community s | offers a batch "
             "| worker peak RSS MB |", "|---|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['size']} | {r['residents']:,} | {r['communities']:,} | {r['load_s']} | {r['match_batch_s']} "
              f"| {r['offers_per_batch']} | {r['worker_peak_rss_mb']} |" for r in rows]
    paint = results.get("pg_dashboard_first_paint_s_10m")
    return [*lines, "", f"City overview first paint on PostgreSQL over {_num(results.get('pg_dashboard_ledger_lines'))}"
            f" ledger lines: {_num(paint)} s.", "", f"![Cost against the number of residents]({CHART})", ""]


def write_growth_chart(results: dict[str, Any], doc: Path) -> Path | None:
    """Draw each cost against residents (log–log: a line of slope 1 is linear growth) beside `doc`."""
    rows = results.get("growth")
    if not rows:
        return None
    with chart_beside(doc, CHART) as ax:
        xs = [r["residents"] for r in rows]
        for key, label in (("load_s", "registry load, s"), ("match_batch_s", "matching batch per community, s"),
                           ("worker_peak_rss_mb", "worker peak RSS, MB")):
            ax.plot(xs, [max(r[key], 1e-4) for r in rows], "o-", label=label)
        ax.plot(xs, [rows[0]["load_s"] * x / xs[0] for x in xs], ":", color="grey",
                label="linear from the community's load")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("residents")
        ax.set_title("Cost against size (lower slope than the dotted line: sub-linear)")
        ax.legend(fontsize=8)
    return doc.parent / CHART


def _num(value: Any) -> str:
    if value is None:
        return "not measured"
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
