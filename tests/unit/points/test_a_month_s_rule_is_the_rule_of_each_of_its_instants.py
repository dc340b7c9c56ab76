"""domain.points.rule_throughout, which lets the points consumer find a month's rule once instead of once per
inspection: when it calls a span steady, rule_in_force gives its rule at every instant of the span (the first, the
last microsecond, any between); it calls a span unsteady only when some version takes effect strictly inside it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain.points import (
    PointRule,
    month_bounds,
    rule_in_force,
    rule_throughout,
)

T0 = datetime(2026, 11, 1, tzinfo=UTC)
HOURS = st.integers(-24 * 45, 24 * 45)
VERSIONS = st.lists(st.tuples(st.integers(1, 5), HOURS), max_size=5).map(
    lambda vs: [PointRule(version=v, effective_at=T0 + timedelta(hours=h), fen_per_point=100 * v) for v, h in vs])


@given(VERSIONS, HOURS, st.integers(1, 24 * 40), st.lists(st.floats(0, 1), max_size=20))
def test_a_steady_span_has_one_rule_at_every_instant(versions: list[PointRule], start: int, length: int,
                                                     fractions: list[float]) -> None:
    starts_at = T0 + timedelta(hours=start)
    ends_at = starts_at + timedelta(hours=length)
    steady, rule = rule_throughout(versions, starts_at, ends_at)
    last = ends_at - timedelta(microseconds=1)
    between = [starts_at + (ends_at - starts_at) * f for f in fractions]
    inside = [at for at in between if at < ends_at] + [starts_at, last]
    if steady:
        assert all(rule_in_force(versions, at) == rule for at in inside)
    else:
        assert rule is None and any(starts_at < v.effective_at < ends_at for v in versions)


def test_a_version_taking_effect_mid_month_makes_the_month_unsteady_and_one_at_its_start_does_not() -> None:
    starts_at, ends_at = month_bounds("2026-11")
    first = PointRule(version=1, effective_at=starts_at - timedelta(days=3))
    at_start = PointRule(version=2, effective_at=starts_at)
    mid = PointRule(version=3, effective_at=starts_at + timedelta(days=10))
    assert rule_throughout([first, at_start], starts_at, ends_at) == (True, at_start)
    assert rule_throughout([first, mid], starts_at, ends_at) == (False, None)
    assert rule_throughout([PointRule(version=4, effective_at=ends_at)], starts_at, ends_at) == (True, None)
