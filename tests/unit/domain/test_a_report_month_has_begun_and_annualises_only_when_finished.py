"""The city report's month (domain.report_month): 'YYYY-MM' that has begun; the finished months newest first and the
current one last; an annualised figure only for a finished month (new-user trial: six hours of 1 December made
¥60,491.45 a year)."""

from __future__ import annotations

from datetime import date

import pytest

from domain.report_month import BadMonth, ReportMonth, annualised_fen, parse_month, report_months

DEC_1 = date(2026, 12, 1)


def test_a_month_is_parsed_only_when_well_formed_and_begun() -> None:
    assert parse_month(" 2026-11 ", today=DEC_1) == ReportMonth(2026, 11)
    assert parse_month("2026-12", today=DEC_1) == parse_month("２０２６-１２", today=DEC_1) == ReportMonth(2026, 12)
    for bad, words in (("2026-13", "YYYY-MM"), ("2026-1", "YYYY-MM"), ("٢٠٢٦-١١", "YYYY-MM"),
                       ("2027-01", "尚未开始")):
        with pytest.raises(BadMonth, match=words):
            parse_month(bad, today=DEC_1)


def test_the_finished_months_come_first_and_the_current_one_last() -> None:
    assert report_months({ReportMonth(2026, 12), ReportMonth(2026, 9)}, today=DEC_1) == [
        ReportMonth(2026, 11), ReportMonth(2026, 9), ReportMonth(2026, 12)]
    assert report_months(set(), today=date(2027, 1, 1)) == [ReportMonth(2026, 12), ReportMonth(2027, 1)]


def test_only_a_finished_month_is_annualised_by_its_own_days() -> None:
    assert annualised_fen(2800, ReportMonth(2026, 2), today=DEC_1) == 2800 * 365 // 28
    assert annualised_fen(16573, ReportMonth(2026, 12), today=DEC_1) is None
    assert ReportMonth(2026, 12).end_day == date(2027, 1, 1) and ReportMonth(2026, 12).days == 31
