"""Minimum-wage audit: hourly pay at standard speed, compared exactly against the local minimum."""

from decimal import Decimal
from fractions import Fraction

import pytest

from domain.orders.minimum_wage import WageAudit, audit_order_rate


def test_a_rate_above_the_minimum_passes() -> None:
    # 0.50 yuan per 1-minute piece = 30 yuan/h against 25 yuan/h.
    assert audit_order_rate(piece_rate_fen=50, standard_minutes_per_piece=1, min_hourly_wage_fen=2500) == (
        WageAudit(
            hourly_fen_at_standard_speed=3000,
            min_hourly_wage_fen=2500,
            below=False,
            shortfall_fen_per_hour=0,
            min_piece_rate_fen=42,
        )
    )


def test_a_rate_below_the_minimum_reports_the_shortfall() -> None:
    # 0.35 yuan per 1.5-minute piece = 14 yuan/h; 11 yuan/h short of 25.
    audit = audit_order_rate(piece_rate_fen=35, standard_minutes_per_piece=1.5, min_hourly_wage_fen=2500)
    assert audit.hourly_fen_at_standard_speed == 1400
    assert audit.below and audit.shortfall_fen_per_hour == 1100
    assert audit.min_piece_rate_fen == 63  # 25 yuan/h x 1.5 min = 62.5 fen, rounded up


def test_float_minutes_are_read_as_written_not_as_binary_approximations() -> None:
    # 0.1 min per piece at 4 fen: exactly 2400 fen/h; binary 0.1 would give 2399.99...
    audit = audit_order_rate(piece_rate_fen=4, standard_minutes_per_piece=0.1, min_hourly_wage_fen=2400)
    assert audit.hourly_fen_at_standard_speed == 2400 and not audit.below


def test_hourly_pay_rounds_down_and_shortfall_rounds_up() -> None:
    # 10 fen per 0.7 min = 857.14... fen/h: shown as 857, and 0.86 fen short counts as 1.
    audit = audit_order_rate(
        piece_rate_fen=10, standard_minutes_per_piece=Fraction(7, 10), min_hourly_wage_fen=858
    )
    assert audit.hourly_fen_at_standard_speed == 857 and audit.below and audit.shortfall_fen_per_hour == 1


def test_accepts_decimal_minutes() -> None:
    audit = audit_order_rate(
        piece_rate_fen=40, standard_minutes_per_piece=Decimal("0.8"), min_hourly_wage_fen=3000
    )
    assert audit.hourly_fen_at_standard_speed == 3000 and not audit.below


def test_refuses_non_positive_standard_time() -> None:
    with pytest.raises(ValueError):
        audit_order_rate(piece_rate_fen=40, standard_minutes_per_piece=0, min_hourly_wage_fen=2500)

