"""Is each consumer advancing? Committed offsets compared over time, for /health.

A consumer can be alive (its worker beating) and still stuck: frozen, blocked on a lock, or reading
one record again and again. What shows it is progress: the offsets its group commits. A group that
is behind on a topic and has not committed anything there for `stall_after_s` is stalled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Positions = dict[tuple[str, str], tuple[int, int]]  # (group, topic) → (offsets committed, messages behind)


@dataclass
class ProgressWatch:
    """Remembers, per consumer group and topic, the committed offsets and when they last moved (or caught up)."""

    stall_after_s: float
    _seen: dict[tuple[str, str], tuple[int, float]] = field(default_factory=dict)  # → (committed, last progress)

    def observe(self, positions: Positions, now: float) -> list[dict[str, Any]]:
        """Take a reading at `now` (seconds, monotonic) and report each group and topic.

        Each report: group, topic, lag (messages behind), last_progress_s (seconds since its committed offsets
        last moved or it last had nothing to do, as far as this watch has seen), and status "ok" or "stalled"
        (behind, and no progress for longer than stall_after_s).
        """
        report = []
        for (group, topic), (committed, behind) in sorted(positions.items()):
            before = self._seen.get((group, topic))
            progressed = before is None or committed != before[0] or behind == 0
            since = now if progressed else before[1]  # type: ignore[index]
            self._seen[(group, topic)] = (committed, since)
            age = now - since
            stalled = behind > 0 and age > self.stall_after_s
            report.append({"group": group, "topic": topic, "lag": behind, "last_progress_s": round(age, 1),
                           "status": "stalled" if stalled else "ok"})
        return report
