"""Rows for the flow of work: orders, lots, offers, materials, submissions, inspections."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from store.types import json_column, utc_column


class Order(SQLModel, table=True):
    """A piecework order (订单) posted by an enterprise."""

    id: str = Field(primary_key=True)
    enterprise_id: str = Field(foreign_key="enterprise.id", index=True)
    product_code: str = Field(foreign_key="product.code")
    quantity: int
    piece_rate_centifen: int  # exact rate per piece in 0.0001 yuan (schemas.rates): 350 is ¥0.035
    rate_per: int = 1  # pieces the enterprise quoted its price for (1, 100, 1000), to show it as posted
    rate_version: int = 1
    quality_bonus_fen_per_piece: int = 0
    due_at: datetime = Field(sa_column=utc_column())
    eligible_community_ids: list[Any] = Field(default_factory=list, sa_column=json_column())
    eligible_site_ids: list[Any] = Field(default_factory=list, sa_column=json_column())
    take_home_allowed: bool = True
    min_level: int = 1
    training_required: str | None = None
    pickup_site_id: str | None = None
    status: str = Field(default="open", index=True)
    below_minimum_wage: bool = False
    posted_at: datetime = Field(sa_column=utc_column())


class RateVersion(SQLModel, table=True):
    """Every piece rate an order has had, with the reason (rule disclosure)."""

    __tablename__ = "rate_version"
    __table_args__ = (UniqueConstraint("order_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    order_id: str = Field(foreign_key="order.id", index=True)
    version: int
    piece_rate_centifen: int  # 0.0001 yuan per piece
    rate_per: int = 1
    reason: str
    effective_at: datetime = Field(sa_column=utc_column())


class Lot(SQLModel, table=True):
    """A lot (批次): the unit of matching, labelled with a QR code."""

    id: str = Field(primary_key=True)
    order_id: str = Field(foreign_key="order.id", index=True)
    community_id: str = Field(foreign_key="community.id", index=True)
    lot_no: int
    # 批次简码 '网兜-1129-03' (domain.orders.lot_codes): what people say and type; the id above stays the key.
    short_code: str | None = Field(default=None, index=True)
    pieces: int
    due_at: datetime = Field(sa_column=utc_column())
    status: str = Field(default="open", index=True)
    resident_id: str | None = Field(default=None, index=True)
    site_id: str | None = None
    mode: str | None = None
    piece_rate_centifen: int | None = None  # the order's rate when the lot was accepted, 0.0001 yuan per piece
    pinned_resident_id: str | None = None
    excluded_resident_ids: list[Any] = Field(default_factory=list, sa_column=json_column())
    escalation: str | None = None
    pieces_issued: int = 0
    pieces_submitted: int = 0  # first hand-ins only: never more than were issued
    pieces_resubmitted: int = 0  # handed in again after being sent back for rework (返工)
    pieces_pending: int = 0
    pieces_passed: int = 0
    pieces_rejected: int = 0
    accepted_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class Offer(SQLModel, table=True):
    """An offer (派单) of a lot to a resident, with its plain-words explanation."""

    id: str = Field(primary_key=True)
    lot_id: str = Field(foreign_key="lot.id", index=True)
    resident_id: str = Field(foreign_key="resident.id", index=True)
    community_id: str = Field(index=True)
    status: str = Field(default="pending", index=True)
    pieces: int
    piece_rate_centifen: int  # 0.0001 yuan per piece
    explanation_zh: str
    explanation_en: str
    reasons: list[Any] = Field(default_factory=list, sa_column=json_column())
    dispatched_by: str | None = None
    work_minutes: float | None = None  # working minutes the lot was judged to take this resident when offered
    override_rules: list[Any] = Field(default_factory=list, sa_column=json_column())  # hard rules overridden
    override_reason: str | None = None  # the coordinator's reason for overriding them (recorded, audited)
    offered_at: datetime = Field(sa_column=utc_column())
    expires_at: datetime = Field(sa_column=utc_column(index=True))
    decided_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    decided_by: str | None = None
    on_behalf: bool = False


class MaterialIssue(SQLModel, table=True):
    """Materials for some pieces handed to a resident (发料)."""

    __tablename__ = "material_issue"
    id: str = Field(primary_key=True)
    lot_id: str = Field(foreign_key="lot.id", index=True)
    resident_id: str = Field(foreign_key="resident.id", index=True)
    pieces: int
    unused_returned: int = 0
    scrap_returned: int = 0
    actor: str
    at: datetime = Field(sa_column=utc_column())


class Submission(SQLModel, table=True):
    """Finished pieces handed in for inspection (交货); several per lot."""

    id: str = Field(primary_key=True)
    lot_id: str = Field(foreign_key="lot.id", index=True)
    resident_id: str = Field(foreign_key="resident.id", index=True)
    pieces: int
    minutes_spent: int | None = None
    status: str = Field(default="pending", index=True)
    actor: str
    on_behalf: bool = False
    submitted_at: datetime = Field(sa_column=utc_column())


class Inspection(SQLModel, table=True):
    """An inspection (验收) of a submission; a correction is a new row pointing at the old."""

    id: str = Field(primary_key=True)
    submission_id: str = Field(foreign_key="submission.id", index=True)
    lot_id: str = Field(foreign_key="lot.id", index=True)
    resident_id: str = Field(foreign_key="resident.id", index=True)
    passed: int
    rejected: int
    defect_codes: list[Any] = Field(default_factory=list, sa_column=json_column())
    rework: bool = False
    photo_ref: str | None = None
    piece_rate_centifen: int  # the lot's rate, 0.0001 yuan per piece
    quality_bonus_fen_per_piece: int = 0
    corrects_inspection_id: str | None = Field(default=None, index=True)
    superseded: bool = False
    automatic: bool = False
    actor: str
    inspected_at: datetime = Field(sa_column=utc_column(index=True))
