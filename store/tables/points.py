"""Rows for points (积分): rule versions, the append-only points ledger, the shop's items and redemptions.

Points are never money: nothing here is read by pay slips, settlements or the money ledger.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from store.types import json_column, utc_column


class PointRuleVersion(SQLModel, table=True):
    """One version of a community's point rule (domain.points.PointRule); never updated, only superseded."""

    __tablename__ = "point_rule_version"
    __table_args__ = (UniqueConstraint("community_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    community_id: str = Field(foreign_key="community.id", index=True)
    version: int
    fen_per_point: int
    passing_rate_bps: int
    high_pass_rate_bps: int
    high_pass_bonus_bps: int
    monthly_cap: int
    # Service points (issue 17, migration 0006): a 代办 act's points by the resident's stars (1..5), volunteer
    # tasks' points per hour, and the cap per person and month on each.
    act_points_by_stars: list[Any] = Field(default_factory=lambda: [0, 0, 1, 2, 3], sa_column=json_column())
    volunteer_points_per_hour: int = 2
    service_monthly_cap: int = 0
    reason: str
    created_by: str
    effective_at: datetime = Field(sa_column=utc_column())


class PointEntry(SQLModel, table=True):
    """One append-only points ledger line in integer points; corrections are reversal lines."""

    __tablename__ = "point_entry"
    __table_args__ = (
        Index("ix_point_entry_resident_month", "resident_id", "month"),  # balances, capped month totals
        Index("ix_point_entry_community_month", "community_id", "month"),  # the monthly 公示
    )
    id: int | None = Field(default=None, primary_key=True)
    entry_key: str = Field(unique=True)
    kind: str  # work | reversal | redemption
    resident_id: str
    community_id: str
    month: str  # "YYYY-MM", Asia/Shanghai
    points: int
    uncapped: int = 0
    # Not indexed: no read looks a line up by inspection (the points consumer finds an inspection's lines by their
    # keys, which carry its id), and each index costs a B-tree insert per line on the hot path (issue 19).
    inspection_id: str | None = None
    reverses_entry_key: str | None = None
    redemption_id: str | None = None
    rule_version: int | None = None
    posted_at: datetime = Field(sa_column=utc_column())


class PointMonth(SQLModel, table=True):
    """The points ledger's monthly read model (issue 19): Σ uncapped of one resident's scored lines (work and
    reversal) in one month (domain.points.month_totals) — what capping the month's next line needs, read without
    summing the month's lines. Written only by store.points.append_points, in the transaction that appends the
    lines; `microfactory audit` checks it equals a recomputation from the lines (point_month_differs).
    """

    __tablename__ = "point_month"
    # The key's order is the points consumer's read: these residents, in these months.
    resident_id: str = Field(primary_key=True)
    month: str = Field(primary_key=True)  # "YYYY-MM", Asia/Shanghai
    uncapped: int = 0  # Σ uncapped of the month's work and reversal lines


class ShopItem(SQLModel, table=True):
    """An item of a community's points shop (积分超市): its price in points and what is left in stock."""

    __tablename__ = "shop_item"
    id: str = Field(primary_key=True)
    community_id: str = Field(foreign_key="community.id", index=True)
    name: str
    price_points: int
    stock: int
    active: bool = True
    created_at: datetime = Field(sa_column=utc_column())


class Redemption(SQLModel, table=True):
    """Items taken for points, by the resident or by a coordinator at the counter for them (代办)."""

    __tablename__ = "redemption"
    id: str = Field(primary_key=True)
    community_id: str = Field(index=True)
    resident_id: str = Field(index=True)
    item_id: str = Field(foreign_key="shop_item.id", index=True)
    quantity: int
    points: int
    actor: str
    on_behalf: bool = False
    at: datetime = Field(sa_column=utc_column())
