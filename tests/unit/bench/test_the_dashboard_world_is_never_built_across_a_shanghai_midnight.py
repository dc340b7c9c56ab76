"""The dashboard world is stamped by the real clock and its pages read "today"/"this month" by the real clock, so it
is never built in the last two minutes before a midnight in Asia/Shanghai (16:00 UTC): it waits one second past it."""

from __future__ import annotations

from datetime import UTC, datetime

from bench.dashboard_world import MIDNIGHT_MARGIN_S, wait_out_a_shanghai_midnight


def _slept(at: datetime) -> list[float]:
    slept: list[float] = []
    wait_out_a_shanghai_midnight(clock=lambda: at, sleep=slept.append)
    return slept


def test_a_world_due_just_before_a_shanghai_midnight_waits_until_just_after_it() -> None:
    # 2026-11-30 23:59:30 in Shanghai: 30 s before December (a new day, half-month period and month).
    assert _slept(datetime(2026, 11, 30, 15, 59, 30, tzinfo=UTC)) == [31.0]
    # 2026-12-31 23:58:30 in Shanghai: 90 s before a new year.
    assert _slept(datetime(2026, 12, 31, 15, 58, 30, tzinfo=UTC)) == [91.0]


def test_a_world_due_at_any_other_time_is_built_at_once() -> None:
    assert MIDNIGHT_MARGIN_S == 120.0
    assert _slept(datetime(2026, 11, 30, 15, 58, 0, tzinfo=UTC)) == []  # exactly the margin before midnight
    assert _slept(datetime(2026, 11, 30, 16, 0, 0, tzinfo=UTC)) == []  # midnight itself: a whole day ahead
    assert _slept(datetime(2026, 11, 30, 23, 59, 30, tzinfo=UTC)) == []  # a UTC midnight is no boundary here
