"""Checks that a piece rate pays at least the local minimum wage at standard speed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import ceil, floor

from schemas.rates import CENTIFEN_PER_FEN

# The figures themselves are data, by division and date: domain/pay/data/minimum_wages.csv (usecases.minimum_wages).

Minutes = float | int | Decimal | Fraction


@dataclass(frozen=True)
class WageAudit:
    """What a piece rate earns per hour at standard speed, against the minimum wage."""

    hourly_fen_at_standard_speed: int
    min_hourly_wage_fen: int
    below: bool
    shortfall_fen_per_hour: int
    min_piece_rate_centifen: int  # the lowest exact rate (0.0001 yuan a piece) that reaches the minimum


def audit_order_rate(
    *, piece_rate_centifen: int, standard_minutes_per_piece: Minutes, min_hourly_wage_fen: int
) -> WageAudit:
    """Hourly pay at standard speed, whether it is below the minimum, and by how much.

    The rate is exact (centifen, 0.0001 yuan a piece: schemas.rates), so ¥0.035 a piece at 0.1 minute a piece
    is exactly ¥21.00 an hour, judged before any rounding; hourly figures are in fen.
    """
    minutes = exact_minutes(standard_minutes_per_piece)
    if minutes <= 0:
        raise ValueError(f"standard minutes per piece must be positive, got {minutes}")
    hourly = Fraction(piece_rate_centifen, CENTIFEN_PER_FEN) * 60 / minutes
    below = hourly < min_hourly_wage_fen
    return WageAudit(
        # Round down: the audit must never overstate what a resident earns.
        hourly_fen_at_standard_speed=floor(hourly),
        min_hourly_wage_fen=min_hourly_wage_fen,
        below=below,
        shortfall_fen_per_hour=ceil(min_hourly_wage_fen - hourly) if below else 0,
        min_piece_rate_centifen=ceil(min_hourly_wage_fen * CENTIFEN_PER_FEN * minutes / 60),
    )


def exact_minutes(value: Minutes) -> Fraction:
    """Minutes as an exact fraction; a float is read as the decimal it was written as."""
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)
