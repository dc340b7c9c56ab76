"""Labour Contract Law art. 72: part-time pay is settled at least every 15 days; late pay raises an alarm."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from domain.pay import PeriodPolicy, overdue_unpaid, pay_due_at, period_by_id

SHANGHAI = ZoneInfo("Asia/Shanghai")
A = period_by_id("2026-11-A")
B = period_by_id("2026-11-B")


def test_a_half_month_period_is_due_the_moment_it_ends() -> None:
    assert pay_due_at(A) == datetime(2026, 11, 16, tzinfo=SHANGHAI)
    assert pay_due_at(B) == datetime(2026, 12, 1, tzinfo=SHANGHAI)


def test_a_weekly_period_may_wait_until_its_first_day_is_fifteen_days_old() -> None:
    week = period_by_id("2026-W48", PeriodPolicy("week"))
    assert pay_due_at(week) == week.starts_at + timedelta(days=15)


def test_unpaid_periods_past_due_are_listed_oldest_first_with_days_late() -> None:
    now = datetime(2026, 12, 3, 9, 0, tzinfo=SHANGHAI)
    late = overdue_unpaid([(B, True, False), (A, True, False)], now)
    assert [(o.period.period_id, o.days_late) for o in late] == [("2026-11-A", 17), ("2026-11-B", 2)]


def test_paid_periods_and_periods_not_yet_due_raise_no_alarm() -> None:
    now = datetime(2026, 11, 20, tzinfo=SHANGHAI)
    assert overdue_unpaid([(A, True, True), (B, False, False)], now) == []


def test_a_period_left_open_past_its_due_time_is_still_overdue() -> None:
    now = datetime(2026, 11, 17, tzinfo=SHANGHAI)
    (late,) = overdue_unpaid([(A, False, False)], now)
    assert not late.closed and late.days_late == 1
