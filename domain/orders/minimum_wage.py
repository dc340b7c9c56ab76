"""Checks that a piece rate pays at least the local minimum wage at standard speed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import ceil, floor

# Part-time hourly minimum wage (非全日制用工小时最低工资标准), fen per hour.
# Configurable defaults from the best figures known in 2025: each city's human-resources
# bureau publishes the binding number, and deployments should override this table.
CITY_MINIMUM_HOURLY_WAGE_FEN: dict[str, int] = {
    "beijing": 2770,  # 北京: 27.7 yuan/h (from 2024-09-01)
    "shanghai": 2500,  # 上海: 25 yuan/h (from 2025-07-01)
    "shenzhen": 2370,  # 深圳: 23.7 yuan/h (from 2025-03-01)
    "guangzhou": 2370,  # 广州: 23.7 yuan/h (from 2025-03-01)
    "hangzhou": 2400,  # 杭州 (浙江一类): 24 yuan/h
    "chengdu": 2200,  # 成都 (四川一类): 22 yuan/h
}

Minutes = float | int | Decimal | Fraction


@dataclass(frozen=True)
class WageAudit:
    """What a piece rate earns per hour at standard speed, against the minimum wage."""

    hourly_fen_at_standard_speed: int
    min_hourly_wage_fen: int
    below: bool
    shortfall_fen_per_hour: int
    min_piece_rate_fen: int


def audit_order_rate(
    *, piece_rate_fen: int, standard_minutes_per_piece: Minutes, min_hourly_wage_fen: int
) -> WageAudit:
    """Hourly pay at standard speed, whether it is below the minimum, and by how much."""
    minutes = exact_minutes(standard_minutes_per_piece)
    if minutes <= 0:
        raise ValueError(f"standard minutes per piece must be positive, got {minutes}")
    hourly = Fraction(piece_rate_fen) * 60 / minutes
    below = hourly < min_hourly_wage_fen
    return WageAudit(
        # Round down: the audit must never overstate what a resident earns.
        hourly_fen_at_standard_speed=floor(hourly),
        min_hourly_wage_fen=min_hourly_wage_fen,
        below=below,
        shortfall_fen_per_hour=ceil(min_hourly_wage_fen - hourly) if below else 0,
        min_piece_rate_fen=ceil(min_hourly_wage_fen * minutes / 60),
    )


def exact_minutes(value: Minutes) -> Fraction:
    """Minutes as an exact fraction; a float is read as the decimal it was written as."""
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)
