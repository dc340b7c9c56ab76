"""Pay periods follow the Asia/Shanghai calendar: 1st–15th and 16th–end, half-open, whatever the UTC date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.pay import PayInputError, PeriodPolicy, next_period, period_by_id, period_for

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def test_evening_of_30_november_utc_is_already_december_first_half() -> None:
    period = period_for(_utc(2026, 11, 30, 16, 30))
    assert period.period_id == "2026-12-A"
    assert period.starts_at == datetime(2026, 12, 1, tzinfo=SHANGHAI)
    assert period.ends_at == datetime(2026, 12, 16, tzinfo=SHANGHAI)


def test_last_minute_before_shanghai_midnight_stays_in_november() -> None:
    assert period_for(_utc(2026, 11, 30, 15, 59, 59)).period_id == "2026-11-B"


def test_the_15th_belongs_to_the_first_half_and_the_16th_to_the_second() -> None:
    assert period_for(datetime(2026, 11, 15, 23, 59, tzinfo=SHANGHAI)).period_id == "2026-11-A"
    assert period_for(datetime(2026, 11, 16, 0, 0, tzinfo=SHANGHAI)).period_id == "2026-11-B"
    # 15 Nov 17:00 UTC is already the 16th in Shanghai.
    assert period_for(_utc(2026, 11, 15, 17, 0)).period_id == "2026-11-B"


def test_periods_are_half_open_so_the_end_instant_opens_the_next_period() -> None:
    period = period_for(_utc(2026, 2, 20))
    assert period.ends_at == datetime(2026, 3, 1, tzinfo=SHANGHAI), "February's second half ends on the 28th"
    assert not period.contains(period.ends_at)
    assert period.contains(period.ends_at - timedelta(microseconds=1))
    assert next_period(period).period_id == "2026-03-A"


def test_the_second_half_of_december_rolls_into_the_next_year() -> None:
    assert next_period(period_for(_utc(2026, 12, 20))).period_id == "2027-01-A"


def test_month_and_iso_week_policies_name_their_periods() -> None:
    instant = _utc(2026, 11, 30, 16, 30)  # Tuesday 1 December in Shanghai
    assert period_for(instant, PeriodPolicy("month")).period_id == "2026-12"
    week = period_for(instant, PeriodPolicy("week"))
    assert week.period_id == "2026-W49"
    assert week.starts_at == datetime(2026, 11, 30, tzinfo=SHANGHAI)


def test_a_utc_policy_cuts_at_utc_midnight() -> None:
    assert period_for(_utc(2026, 11, 30, 16, 30), PeriodPolicy(tz="UTC")).period_id == "2026-11-B"


@pytest.mark.parametrize(
    ("kind", "period_id"), [("half_month", "2026-11-B"), ("month", "2026-02"), ("week", "2026-W53")]
)
def test_period_ids_parse_back_to_the_same_period(kind: str, period_id: str) -> None:
    policy = PeriodPolicy(kind)  # type: ignore[arg-type]
    assert period_by_id(period_id, policy).period_id == period_id


def test_a_malformed_period_id_is_refused() -> None:
    with pytest.raises(PayInputError, match="period_id"):
        period_by_id("2026-11-C")


def test_a_naive_datetime_is_refused_rather_than_guessed() -> None:
    with pytest.raises(PayInputError, match="timezone-aware"):
        period_for(datetime(2026, 11, 30, 16, 30))
