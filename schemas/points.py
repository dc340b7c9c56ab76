"""Commands of points (积分) and the points shop (积分超市): the API's request bodies. Points are never money."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from schemas.commands import Command, Keyed
from schemas.wire import WireDatetime

MAX_POINTS = 1_000_000_000  # keeps prices and caps inside a 64-bit integer with room for sums
Points = Annotated[int, Field(ge=0, le=MAX_POINTS)]


class SetPointRule(Command):
    """A new version of a community's point rule; it scores work inspected from `effective_at` (default: now)."""

    community_id: str = Field(min_length=1, max_length=64)
    fen_per_point: int = Field(default=1000, gt=0, le=MAX_POINTS, description="piece pay (fen) per point")
    passing_rate_bps: int = Field(default=9000, ge=0, le=10_000)
    high_pass_rate_bps: int = Field(default=9800, ge=0, le=10_000)
    high_pass_bonus_bps: int = Field(default=5000, ge=0, le=100_000)
    monthly_cap: int = Field(default=0, ge=0, le=MAX_POINTS, description="0 = no cap")
    act_points_by_stars: list[Points] = Field(default_factory=lambda: [0, 0, 1, 2, 3], min_length=5, max_length=5,
                                              description="a 代办 act's points for 1..5 stars, for its helper")
    volunteer_points_per_hour: int = Field(default=2, ge=0, le=MAX_POINTS)
    service_monthly_cap: int = Field(default=0, ge=0, le=MAX_POINTS, description="service points a month; 0 = none")
    reason: str = Field(min_length=1, max_length=200)
    effective_at: WireDatetime | None = None


class AddShopItem(Command):
    """An item for a community's points shop (tissues, cups, rice, oil)."""

    community_id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=100)
    price_points: int = Field(gt=0, le=MAX_POINTS)
    stock: int = Field(ge=0, le=MAX_POINTS)


class RedeemPoints(Keyed):
    """Take items for points: a resident for themself, or a coordinator at the counter for a resident (代办)."""

    item_id: str = Field(min_length=1, max_length=64)
    quantity: int = Field(default=1, gt=0, le=1000)
    resident_id: str | None = Field(default=None, max_length=64, description="needed when a coordinator redeems")
