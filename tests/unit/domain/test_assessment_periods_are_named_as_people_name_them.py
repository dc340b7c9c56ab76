"""考核期 as people name them (domain.assessment.grades.period_label): never '2026-12' or '2026-Q4' on a page, in a
workbook or a file name; the id stays what the API takes."""

from __future__ import annotations

from datetime import datetime

import pytest

from domain.assessment.grades import TZ, period_label, quarter_of


@pytest.mark.parametrize(("period", "zh", "en"), [
    ("2026-12", "2026年12月", "2026-12"), ("2026-01", "2026年1月", "2026-01"),
    ("2026-Q1", "2026年第一季度", "2026 Q1"), ("2026-Q4", "2026年第四季度", "2026 Q4"), ("2026", "2026年", "2026"),
    ("2026-13", "2026-13", "2026-13"),  # not a period: shown as typed (the table says why it is refused)
])
def test_each_kind_of_period_has_its_name(period: str, zh: str, en: str) -> None:
    assert (period_label(period), period_label(period, "en")) == (zh, en)


@pytest.mark.parametrize(("local", "quarter"), [
    (datetime(2026, 1, 1, 0, 0, tzinfo=TZ), "2026-Q1"), (datetime(2026, 3, 31, 23, 59, tzinfo=TZ), "2026-Q1"),
    (datetime(2026, 4, 1, 0, 0, tzinfo=TZ), "2026-Q2"), (datetime(2026, 12, 1, 0, 0, tzinfo=TZ), "2026-Q4"),
])
def test_the_quarter_of_a_local_time(local: datetime, quarter: str) -> None:
    assert quarter_of(local) == quarter
