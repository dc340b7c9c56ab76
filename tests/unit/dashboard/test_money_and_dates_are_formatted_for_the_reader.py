"""Money prints as ¥1,234.56 from integer fen, exactly; moments print in Asia/Shanghai time."""

from __future__ import annotations

from datetime import UTC, datetime

from dashboard.format import day, money, percent, when


def test_fen_print_as_yuan_with_two_decimals_in_both_languages() -> None:
    assert money(123456) == "¥1,234.56"
    assert money(123456, "en") == "¥1,234.56"
    assert money(5) == "¥0.05"
    assert money(-281) == "-¥2.81"
    assert money(10**12 + 1) == "¥10,000,000,000.01"  # no float rounding, however large


def test_a_utc_moment_is_shown_as_shanghai_local_time() -> None:
    late_utc = datetime(2026, 3, 31, 17, 30, tzinfo=UTC)  # 01:30 on 1 April in Shanghai
    assert when(late_utc) == "2026/4/1 01:30"
    assert day(late_utc) == "2026年4月1日"
    assert day(late_utc, "en") == "Apr 1, 2026"


def test_ratios_are_percentages_and_nothing_is_a_dash() -> None:
    assert percent(0.9) == "90.0%"
    assert percent(None) == "—"
