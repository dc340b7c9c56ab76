"""The city's income target to date (同期目标): the share of a yearly target per person due by a given day.

The target is a year's figure (about ¥20,000 of extra income per person, DESIGN.md). Income to date counts every
Asia/Shanghai day of the year up to and including today (city_income reads ledger days from 1 January), so the
target it is held against is the year's target times the days of the year gone by counting today, over the days
in the year: on 1 January 1/365 of it, on 1 December 335/365 (not the whole year because December has begun), on
31 December all of it. Counted in days, not months, a month that has just begun adds one day's share, not a
twelfth.
"""

from __future__ import annotations

from calendar import isleap
from datetime import date, datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")


def target_to_date_fen(year_target_fen: int, day: date) -> int:
    """The part of `year_target_fen` (fen, >= 0) due by the end of local `day`, in whole fen rounded down:
    year_target_fen × (day's number in its year) ÷ (days in the year). Raises ValueError for a negative target."""
    if year_target_fen < 0:
        raise ValueError(f"year_target_fen must not be negative, got {year_target_fen}")
    days = 366 if isleap(day.year) else 365
    return year_target_fen * day.timetuple().tm_yday // days


def local_day(now: datetime) -> date:
    """The Asia/Shanghai day of an aware instant (16:00 UTC on 30 November is 1 December there)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(TZ).date()
