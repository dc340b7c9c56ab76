"""The month of the city's report (社区月报): which months may be reported, and the one rule for its annualised figure.

The HR bureau reports on a finished month: on 1 December it files November. A month is named 'YYYY-MM' and runs
from 00:00 Asia/Shanghai on its first day to 00:00 on the next month's. A month that has not ended (the current one)
may still be read, but its annualised figure is left out (None): a few days — or, on the 1st, a few hours — of
income multiplied up to a year is not a figure anyone should file. A finished month's annualised figure is its
per-person income × 365 ÷ the days in that month.
"""

from __future__ import annotations

import re
import unicodedata
from calendar import monthrange
from dataclasses import dataclass
from datetime import date

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")  # ASCII digits only: `\d` matches any script's
DAYS_IN_YEAR = 365


class BadMonth(ValueError):
    """A month the report cannot cover; the message says why, in Chinese."""


@dataclass(frozen=True, order=True)
class ReportMonth:
    """A calendar month in Asia/Shanghai (月份)."""

    year: int
    month: int

    @property
    def key(self) -> str:
        """'2026-11'."""
        return f"{self.year}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def end_day(self) -> date:
        """The first day of the next month (the month's days are first_day ≤ d < end_day)."""
        return date(self.year + self.month // 12, self.month % 12 + 1, 1)

    @property
    def days(self) -> int:
        return monthrange(self.year, self.month)[1]

    def finished(self, today: date) -> bool:
        """Whether the month has ended by local `today`."""
        return today >= self.end_day

    def previous(self) -> ReportMonth:
        return ReportMonth(self.year - (self.month == 1), 12 if self.month == 1 else self.month - 1)


def month_of(day: date) -> ReportMonth:
    """The month a local day falls in."""
    return ReportMonth(day.year, day.month)


def parse_month(text: str, *, today: date) -> ReportMonth:
    """'YYYY-MM' (full-width digits read as ASCII) as a month that has begun by local `today`; raises BadMonth
    (Chinese reason) otherwise."""
    found = _MONTH.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if found is None or not 1 <= int(found.group(2)) <= 12:
        raise BadMonth(f"月份应写作 YYYY-MM（如 {month_of(today).previous().key}），收到“{text}”")
    month = ReportMonth(int(found.group(1)), int(found.group(2)))
    if month > month_of(today):
        raise BadMonth(f"{month.year}年{month.month}月尚未开始，没有数据可报（今天是 {today.isoformat()}）")
    return month


def annualised_fen(per_person_fen: int, month: ReportMonth, *, today: date) -> int | None:
    """Per-person income of a finished month as a year (× 365 ÷ days in the month, fen rounded down); None while
    the month is unfinished."""
    if not month.finished(today):
        return None
    return per_person_fen * DAYS_IN_YEAR // month.days


def report_months(months_with_data: set[ReportMonth], *, today: date) -> list[ReportMonth]:
    """The months to offer for the report: the finished months with data, newest first (the last finished month
    always, so the bureau can file it even when empty), then the current, unfinished month."""
    current = month_of(today)
    finished = {m for m in months_with_data if m < current} | {current.previous()}
    return [*sorted(finished, reverse=True), current]
