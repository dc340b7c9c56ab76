"""Minutes a resident is available between two instants, from their weekly hours in local time.

Times are turned into wall-clock minutes since a Monday in the policy's zone, so a weekly
window is a plain interval and "available minutes up to t" is a piecewise-linear function
G(t) = whole weeks x weekly total + minutes used of the current week.  The scalar functions
serve the rules and explanations; `PatternTable` evaluates G for many pairs at once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import lru_cache
from itertools import chain
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

WEEK = 7 * 1440
_EPOCH = datetime(1970, 1, 5)  # a Monday
Windows = tuple[tuple[int, int], ...]


@lru_cache(maxsize=16)
def zone(tz: str) -> ZoneInfo:
    """The zone object, cached because batches call this for every lot."""
    return ZoneInfo(tz)


def local_minutes(at: datetime, tz: str) -> float:
    """Wall-clock minutes since the epoch Monday in zone `tz` (seconds kept as a fraction)."""
    if at.tzinfo is None:
        raise ValueError("times given to the matcher must be timezone-aware")
    return (at.astimezone(zone(tz)).replace(tzinfo=None) - _EPOCH).total_seconds() / 60.0


def from_local_minutes(minutes: float, tz: str) -> datetime:
    """The aware instant at `minutes` wall-clock minutes after the epoch Monday in `tz`."""
    return (_EPOCH + timedelta(minutes=minutes)).replace(tzinfo=zone(tz))


def canonical_week(weekly: Sequence[tuple[int, int, int]]) -> tuple[tuple[int, int, int], ...]:
    """Weekly windows clipped to their day, sorted, and merged where they overlap or touch."""
    spans = []
    for weekday, start, end in weekly:
        if not 0 <= weekday <= 6:
            raise ValueError(f"weekday must be 0..6, got {weekday}")
        lo, hi = max(start, 0), min(end, 1440)
        if hi > lo:
            spans.append((weekday, lo, hi))
    merged: list[tuple[int, int, int]] = []
    for day, lo, hi in sorted(spans):
        if merged and merged[-1][0] == day and lo <= merged[-1][2]:
            merged[-1] = (day, merged[-1][1], max(merged[-1][2], hi))
        else:
            merged.append((day, lo, hi))
    return tuple(merged)


@lru_cache(maxsize=65536)
def week_windows(weekly: tuple[tuple[int, int, int], ...]) -> Windows:
    """Canonical weekly windows as minute-of-week intervals."""
    return tuple((day * 1440 + lo, day * 1440 + hi) for day, lo, hi in canonical_week(weekly))


def cumulative(windows: Windows, t: float) -> float:
    """G(t): available minutes from the epoch Monday up to local minute t."""
    weeks = math.floor(t / WEEK)
    x = t - weeks * WEEK
    total = sum(hi - lo for lo, hi in windows)
    return weeks * total + sum(min(max(x - lo, 0.0), hi - lo) for lo, hi in windows)


def available_minutes(windows: Windows, start: float, end: float) -> float:
    """Available minutes between local minutes `start` and `end` (0 when end is not after start)."""
    return cumulative(windows, end) - cumulative(windows, start) if end > start else 0.0


def finish_minute(windows: Windows, start: float, minutes: float) -> float | None:
    """The earliest local minute by which `minutes` of availability after `start` are used up."""
    total = sum(hi - lo for lo, hi in windows)
    target = cumulative(windows, start) + minutes
    if minutes <= 0:
        return start
    if total == 0:
        return None
    week = math.ceil(target / total) - 1
    need, used = target - week * total, 0.0
    for lo, hi in windows:
        if used + (hi - lo) >= need:
            return max(week * WEEK + lo + (need - used), start)
        used += hi - lo
    return None  # unreachable: need <= total


class PatternTable:
    """Every resident's canonical windows as padded arrays, so G(t) is evaluated for many pairs."""

    def __init__(self, weeklies: Sequence[tuple[tuple[int, int, int], ...]]) -> None:
        counts = np.fromiter((len(w) for w in weeklies), dtype=np.intp, count=len(weeklies))
        flat = np.fromiter(chain.from_iterable(chain.from_iterable(weeklies)), dtype=np.float64)
        flat = flat.reshape(-1, 3)
        rows = np.repeat(np.arange(len(weeklies)), counts)
        cols = np.arange(rows.size) - np.repeat(np.cumsum(counts) - counts, counts)
        width = max(int(counts.max(initial=0)), 1)
        self.starts = np.zeros((len(weeklies), width))
        self.lengths = np.zeros((len(weeklies), width))
        self.starts[rows, cols] = flat[:, 0] * 1440 + flat[:, 1]
        self.lengths[rows, cols] = flat[:, 2] - flat[:, 1]
        self.weekly_total = self.lengths.sum(axis=1)

    def cumulative(self, row: npt.NDArray[np.intp], t: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """G(t) for each (resident row, t) pair; windows must be canonical (see `canonical_week`)."""
        weeks = np.floor(t / WEEK)
        x = (t - weeks * WEEK)[:, None]
        used = np.minimum(np.maximum(x - self.starts[row], 0.0), self.lengths[row]).sum(axis=1)
        return weeks * self.weekly_total[row] + used


def offered_minutes(weekly: tuple[tuple[int, int, int], ...], *, since: datetime, until: datetime, tz: str) -> float:
    """Minutes of weekly availability between two instants: the time a resident offered in that span (≥ 0)."""
    return available_minutes(week_windows(canonical_week(weekly)), local_minutes(since, tz), local_minutes(until, tz))
