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
    piece_rate_centifen: int  # exact, 0.0001 yuan a piece (schemas.rates): 350 is ¥0.035
    rate_per: int  # pieces the price was quoted for: 1, 100 or 1000
    piece_rate_text: str  # as posted: "¥0.035/件", "¥35.00/千件"
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
    # Fulfilled orders only: when its last piece was judged, and whether that was by due_at (domain.orders.delivery).
    delivered_at: datetime | None = None
    delivered_on_time: bool | None = None


class LotView(BaseModel):
    id: str
    order_id: str
    community_id: str
    pieces: int
    due_at: datetime
    status: str
    resident_id: str | None
    piece_rate_centifen: int | None  # the rate the lot was accepted at, 0.0001 yuan a piece
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
    # Its order's rate pays less than the local minimum hourly wage at standard speed: accepted, and flagged for the
    # coordinator (REFUSE_BELOW_MINIMUM_WAGE=false; usecases.orders decides it when the order is posted).
    below_minimum_wage: bool = False


class OfferView(BaseModel):
    """What a resident sees before accepting: rate, quality rules, due date, and why it is theirs."""

    id: str
    lot_id: str
    resident_id: str
    status: str
    pieces: int
    piece_rate_centifen: int  # 0.0001 yuan a piece
    piece_rate_text: str  # "¥0.035/件"
    amount_fen: int  # the whole lot's pay if every piece passes: pieces × rate rounded half-up to the fen
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
    rate_centifen: int  # 0.0001 yuan a piece
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
