"""Minimum-wage audit: hourly pay at standard speed, compared exactly against the local minimum."""

from decimal import Decimal
from fractions import Fraction

import pytest

from domain.orders.minimum_wage import WageAudit, audit_order_rate


def test_a_rate_above_the_minimum_passes() -> None:
    # 0.50 yuan per 1-minute piece = 30 yuan/h against 25 yuan/h.
    assert audit_order_rate(piece_rate_centifen=5000, standard_minutes_per_piece=1, min_hourly_wage_fen=2500) == (
        WageAudit(
            hourly_fen_at_standard_speed=3000,
            min_hourly_wage_fen=2500,
            below=False,
            shortfall_fen_per_hour=0,
            min_piece_rate_centifen=4167,  # 25 yuan/h × 1 min = 0.41666… yuan, up to ¥0.4167 (0.0001 yuan)
        )
    )


def test_a_rate_below_the_minimum_reports_the_shortfall() -> None:
    # 0.35 yuan per 1.5-minute piece = 14 yuan/h; 11 yuan/h short of 25.
    audit = audit_order_rate(piece_rate_centifen=3500, standard_minutes_per_piece=1.5, min_hourly_wage_fen=2500)
    assert audit.hourly_fen_at_standard_speed == 1400
    assert audit.below and audit.shortfall_fen_per_hour == 1100
    assert audit.min_piece_rate_centifen == 6250  # 25 yuan/h x 1.5 min = 62.5 fen, exactly ¥0.625


def test_float_minutes_are_read_as_written_not_as_binary_approximations() -> None:
    # 0.1 min per piece at 4 fen: exactly 2400 fen/h; binary 0.1 would give 2399.99...
    audit = audit_order_rate(piece_rate_centifen=400, standard_minutes_per_piece=0.1, min_hourly_wage_fen=2400)
    assert audit.hourly_fen_at_standard_speed == 2400 and not audit.below


def test_hourly_pay_rounds_down_and_shortfall_rounds_up() -> None:
    # 10 fen per 0.7 min = 857.14... fen/h: shown as 857, and 0.86 fen short counts as 1.
    audit = audit_order_rate(
        piece_rate_centifen=1000, standard_minutes_per_piece=Fraction(7, 10), min_hourly_wage_fen=858
    )
    assert audit.hourly_fen_at_standard_speed == 857 and audit.below and audit.shortfall_fen_per_hour == 1


def test_accepts_decimal_minutes() -> None:
    audit = audit_order_rate(
        piece_rate_centifen=4000, standard_minutes_per_piece=Decimal("0.8"), min_hourly_wage_fen=3000
    )
    assert audit.hourly_fen_at_standard_speed == 3000 and not audit.below


def test_refuses_non_positive_standard_time() -> None:
    with pytest.raises(ValueError):
        audit_order_rate(piece_rate_centifen=4000, standard_minutes_per_piece=0, min_hourly_wage_fen=2500)



def test_a_rate_below_one_fen_is_judged_exactly_not_as_rounded_fen() -> None:
    # ¥0.0375 a bead at 0.1 min a bead: 600 beads an hour × ¥0.0375 = ¥22.50/h, above Shandong's tier-2 ¥22.
    # Rounded to whole fen it would be 4 fen (¥24/h) or 3 fen (¥18/h, flagged): only the exact rate is right.
    audit = audit_order_rate(piece_rate_centifen=375, standard_minutes_per_piece=0.1, min_hourly_wage_fen=2200)
    assert (audit.hourly_fen_at_standard_speed, audit.below) == (2250, False)


def test_a_sub_fen_rate_below_the_minimum_names_the_exact_rate_it_needs() -> None:
    # ¥0.035 a bead at 0.1 min = ¥21.00/h, ¥1 short of ¥22; the lowest rate that reaches ¥22/h is
    # ¥22 / 600 beads = ¥0.036666… a bead, up to ¥0.0367 (367 in 0.0001 yuan).
    audit = audit_order_rate(piece_rate_centifen=350, standard_minutes_per_piece=0.1, min_hourly_wage_fen=2200)
    assert (audit.hourly_fen_at_standard_speed, audit.below, audit.shortfall_fen_per_hour) == (2100, True, 100)
    assert audit.min_piece_rate_centifen == 367
