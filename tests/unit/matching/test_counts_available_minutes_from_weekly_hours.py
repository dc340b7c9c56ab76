"""Available minutes come from weekly local hours, the same on the scalar and array paths."""

from datetime import timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from matching_strategies import NOW, windows

from domain.matching.availability import (
    PatternTable,
    available_minutes,
    canonical_week,
    finish_minute,
    local_minutes,
    week_windows,
)

TZ = "Asia/Shanghai"


def test_counts_only_the_hours_inside_the_window() -> None:
    mornings = week_windows(((0, 540, 660), (1, 540, 660)))
    start = local_minutes(NOW, TZ)  # Monday 08:00
    assert available_minutes(mornings, start, local_minutes(NOW + timedelta(hours=2), TZ)) == 60
    assert available_minutes(mornings, start, local_minutes(NOW + timedelta(days=7), TZ)) == 240


def test_overlapping_windows_are_merged() -> None:
    assert canonical_week(((0, 600, 700), (0, 540, 620), (2, 0, 10))) == ((0, 540, 700), (2, 0, 10))


def test_finish_is_when_enough_hours_have_passed() -> None:
    mornings = week_windows(((0, 540, 660), (1, 540, 660)))
    start = local_minutes(NOW, TZ)
    assert finish_minute(mornings, start, 150) == local_minutes(NOW + timedelta(days=1, hours=1, minutes=30), TZ)


@settings(max_examples=80, deadline=None)
@given(windows(), st.integers(0, 30 * 1440), st.integers(0, 30 * 1440))
def test_array_path_agrees_with_the_scalar_one(weekly: tuple, a: int, b: int) -> None:
    start, end = local_minutes(NOW, TZ) + a, local_minutes(NOW, TZ) + a + b
    table = PatternTable([canonical_week(weekly)])
    g = table.cumulative(np.array([0, 0]), np.array([start, end]))
    assert g[1] - g[0] == available_minutes(week_windows(weekly), start, end)
