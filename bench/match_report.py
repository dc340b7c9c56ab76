"""The matching part of docs/benchmarks.md: fairness against on-time pieces, as a table and a PNG chart.

Both come from `match_fairness_curve` in the results (bench/match_bench.month_figures): the same seeded month
played by the matcher at five fairness weights and by the two baselines, so a community can choose its weight
(Community.match_fairness_weight). The chart is drawn by matplotlib's Agg backend: no display, no network.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHART = "img/match_fairness_curve.png"  # relative to the Markdown file it is shown in


def fairness_section(results: dict[str, Any]) -> list[str]:
    """Markdown lines: the curve as a table (one row per weight, then the baselines) and the chart below it."""
    curve = results.get("match_fairness_curve")
    if not curve:
        return []
    default = results.get("match_fairness_weight")
    lines = ["## Fairness against output: the matcher's fairness weight", "",
             "The same seeded month (bench/METHOD.md) with each weight; fairness is the Gini of income per offered "
             "hour (lower is fairer), output is passing pieces finished on time. "
             f"The default weight is {_num(default)} (`MatchPolicy.fairness_weight`); each community may set its own "
             "(`community.match_fairness_weight`).", "",
             "| dispatcher | fair Gini per offered hour | passed over | lowest decile / median, per offered hour "
             "| on-time passing pieces | on time / greedy |", "|---|---:|---:|---:|---:|---:|"]
    for point in curve:
        mark = " (default)" if point["weight"] == default else ""
        lines.append(f"| matcher, weight {_num(point['weight'])}{mark} | {point['fair_gini_per_offered_hour']:.3f} "
                     f"| {point['passed_over_share']:.1%} | {point['min_to_median_hourly_ratio']:.2f} "
                     f"| {point['on_time_pieces']:,} | {point['on_time_ratio_vs_greedy']:.4f} |")
    for name, prefix in (("least-earned-first greedy", "least_earned_"), ("greedy (first come, first served)",
                                                                          "greedy_")):
        if f"{prefix}fair_gini_per_offered_hour" in results:
            pieces = results.get(f"{prefix}on_time_pieces", 0)
            ratio = pieces / max(results.get("greedy_on_time_pieces") or 1, 1)
            lines.append(f"| {name} | {results[prefix + 'fair_gini_per_offered_hour']:.3f} "
                         f"| {results[prefix + 'passed_over_share']:.1%} "
                         f"| {results[prefix + 'min_to_median_hourly_ratio']:.2f} | {pieces:,} | {ratio:.4f} |")
    return [*lines, "", f"![Fairness against on-time pieces for five fairness weights]({CHART})", ""]


@contextmanager
def chart_beside(doc: Path, relative: str) -> Iterator[Any]:
    """Matplotlib axes for a chart saved at `relative` to `doc` when the block ends (Agg: files only, no display,
    nothing fetched; no version stamp, so the same figures give the same file)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = doc.parent / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=120)
    try:
        yield ax
        fig.tight_layout()
        fig.savefig(path, metadata={"Software": None})
    finally:
        plt.close(fig)


def write_fairness_chart(results: dict[str, Any], doc: Path) -> Path | None:
    """Draw the curve beside `doc` (at CHART relative to it); None when the results have no curve."""
    curve = results.get("match_fairness_curve")
    if not curve:
        return None
    with chart_beside(doc, CHART) as ax:
        _draw_curve(ax, curve, results)
    return doc.parent / CHART


def _draw_curve(ax: Any, curve: list[dict[str, Any]], results: dict[str, Any]) -> None:
    xs = [p["on_time_ratio_vs_greedy"] for p in curve]
    ys = [p["fair_gini_per_offered_hour"] for p in curve]
    ax.plot(xs, ys, "o-", color="#1f77b4", label="matcher, by fairness weight")
    for p, x, y in zip(curve, xs, ys, strict=True):
        ax.annotate(f"w={_num(p['weight'])}", (x, y), textcoords="offset points", xytext=(6, 4), fontsize=8)
    greedy_pieces = max(results.get("greedy_on_time_pieces") or 1, 1)
    for prefix, label, marker in (("greedy_", "greedy", "s"), ("least_earned_", "least-earned-first", "^")):
        if f"{prefix}fair_gini_per_offered_hour" in results:
            ax.plot([results.get(f"{prefix}on_time_pieces", 0) / greedy_pieces],
                    [results[f"{prefix}fair_gini_per_offered_hour"]], marker, color="#d62728" if prefix == "greedy_"
                    else "#2ca02c", label=label)
    ax.axvline(0.99, color="grey", linestyle=":", linewidth=1, label="99% of greedy's on-time pieces")
    ax.set_xlabel("on-time passing pieces / greedy's")
    ax.set_ylabel("Gini of income per offered hour (lower is fairer)")
    ax.set_title("Fairness against output, one simulated month")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)


def _num(value: Any) -> str:
    return f"{value:g}" if isinstance(value, int | float) else str(value)
