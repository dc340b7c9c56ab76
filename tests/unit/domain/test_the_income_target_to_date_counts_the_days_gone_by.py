"""同期目标: the year's income target prorated by the Asia/Shanghai days gone by, today counted (domain.income_target).
A new user saw the whole year's target on 1 December (it counted months begun, twelve of them)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.income_target import local_day, target_to_date_fen

YEAR = 2_000_000  # ¥20,000 in fen


@pytest.mark.parametrize(("day", "expected"), [
    (date(2026, 1, 1), YEAR * 1 // 365),  # the year's first day: one day's share, not a month's
    (date(2026, 3, 31), YEAR * 90 // 365),  # the first quarter's last day
    (date(2026, 4, 1), YEAR * 91 // 365),  # the second quarter's first day
    (date(2026, 10, 1), YEAR * 274 // 365),  # the fourth quarter's first day
    (date(2026, 11, 30), YEAR * 334 // 365),
    (date(2026, 12, 1), YEAR * 335 // 365),  # December has begun: not the whole year
    (date(2026, 12, 31), YEAR),  # the year's last day: all of it
    (date(2028, 12, 31), YEAR),  # a leap year ends on day 366
    (date(2028, 3, 1), YEAR * 61 // 366),
])
def test_the_share_is_the_days_gone_by_over_the_days_of_the_year(day: date, expected: int) -> None:
    assert target_to_date_fen(YEAR, day) == expected


def test_december_the_first_is_not_the_whole_year() -> None:
    assert target_to_date_fen(YEAR, date(2026, 12, 1)) < YEAR


@pytest.mark.parametrize(("now", "day"), [
    (datetime(2026, 11, 30, 15, 59, 59, tzinfo=UTC), date(2026, 11, 30)),  # 23:59:59 in Shanghai
    (datetime(2026, 11, 30, 16, 0, 0, tzinfo=UTC), date(2026, 12, 1)),  # Shanghai midnight: 1 December
    (datetime(2025, 12, 31, 16, 0, 0, tzinfo=UTC), date(2026, 1, 1)),  # new year in Shanghai, not yet in UTC
    (datetime(2026, 3, 31, 16, 0, 0, tzinfo=UTC), date(2026, 4, 1)),  # a quarter's first day
])
def test_the_day_is_the_shanghai_day(now: datetime, day: date) -> None:
    assert local_day(now) == day


def test_a_naive_time_or_a_negative_target_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        local_day(datetime(2026, 12, 1))
    with pytest.raises(ValueError, match="year_target_fen"):
        target_to_date_fen(-1, date(2026, 12, 1))
