"""How evenly income is spread, so fairness can be measured and not only claimed."""

from __future__ import annotations

from collections.abc import Sequence


def gini(values: Sequence[int]) -> float:
    """Gini coefficient: 0 when everyone earned the same, towards 1 when one person earned all."""
    xs = sorted(values)
    n, total = len(xs), sum(xs)
    if n == 0 or total == 0:
        return 0.0
    if xs[0] < 0:
        raise ValueError("gini needs non-negative values")
    ranked = sum((i + 1) * x for i, x in enumerate(xs))
    return 2.0 * ranked / (n * total) - (n + 1) / n
