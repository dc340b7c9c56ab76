"""Read models: what the API and the dashboard show. Built here so both enforce the same scope."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class Overview(BaseModel):
    """Public aggregates only: no person can be picked out of these."""

    sites: int
    communities: int
    residents_active: int
    residents_in_work: int
    orders_open: int
    lots_open: int
    offers_pending: int
    pieces_passed_total: int
    pieces_rejected_total: int
    earnings_total_fen: int


class OrderView(BaseModel):
    id: str
    enterprise_id: str
    product_code: str
    quantity: int
    piece_rate_fen: int
    rate_version: int
    due_at: datetime
    status: str
    below_minimum_wage: bool
    lots: int
    pieces_issued: int
    pieces_submitted: int  # first hand-ins: never more than issued
    pieces_resubmitted: int  # handed in again after rework (返工)
    pieces_passed: int
    pieces_rejected: int
    cost_to_date_fen: int


class LotView(BaseModel):
    id: str
    order_id: str
    community_id: str
    pieces: int
    due_at: datetime
    status: str
    resident_id: str | None
    piece_rate_fen: int | None
    escalation: str | None
    pieces_issued: int
    pieces_submitted: int  # first hand-ins: never more than issued
    pieces_resubmitted: int  # handed in again after rework (返工)
    pieces_pending: int
    pieces_passed: int
    pieces_rejected: int
    short_code: str | None = None  # 批次简码 '网兜-1129-03' (None for lots made before codes existed)
    product_code: str = ""
    product_name: str = ""
    lot_no: int = 0  # the lot's number within its order


class OfferView(BaseModel):
    """What a resident sees before accepting: rate, quality rules, due date, and why it is theirs."""

    id: str
    lot_id: str
    resident_id: str
    status: str
    pieces: int
    piece_rate_fen: int
    amount_fen: int
    due_at: datetime
    expires_at: datetime
    product_name: str
    defect_codes: list[str]
    quality_bonus_fen_per_piece: int
    lot_short_code: str | None = None
    explanation_zh: str
    explanation_en: str


class ResidentView(BaseModel):
    id: str
    community_id: str
    name: str
    phone: str | None
    id_number: str | None
    work_mode: str
    skills: dict[str, int]
    priority_group: bool
    pass_rate: float | None


class EarningLine(BaseModel):
    entry_key: str
    kind: str
    lot_id: str | None
    pieces: int
    rate_fen: int
    amount_fen: int
    period_id: str
    posted_at: datetime
    memo: str


class Earnings(BaseModel):
    resident_id: str
    today_fen: int
    week_fen: int
    month_fen: int
    total_fen: int
    entries: list[EarningLine]


class SubmissionView(BaseModel):
    id: str
    lot_id: str
    resident_id: str
    pieces: int
    status: str
    submitted_at: datetime


class InspectionView(BaseModel):
    id: str
    submission_id: str
    lot_id: str
    resident_id: str
    passed: int
    rejected: int
    defect_codes: list[str]
    corrects_inspection_id: str | None
    automatic: bool
    inspected_at: datetime
