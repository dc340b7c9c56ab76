"""Read models of pay: slips, settlements, custody, hourly earnings, alarms and appeals (money in fen)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class SlipLineView(BaseModel):
    kind: str
    kind_zh: str
    lot_id: str | None
    lot_code: str = ""  # the lot as people name it ('网兜-1129-03'): what a printed slip's 批次 column says
    label: str  # the product
    pieces: int
    rate_centifen: int  # exact, 0.0001 yuan a piece (schemas.rates); 0 for lines without pieces
    rate_text: str = ""  # as posted: "¥0.035/件", "¥35.00/千件"
    amount_fen: int
    note: str = ""  # why, for a line made by hand: an adjustment's or an approved correction's reason


class PayoutView(BaseModel):
    id: str
    reference: str
    resident_id: str
    period_id: str
    amount_fen: int
    method: str
    at: datetime


class PaySlipView(BaseModel):
    """A pay slip (工资条): lines per lot, corrections, top-ups, debts carried, total; final once the period closed."""

    resident_id: str
    resident_name: str
    period_id: str
    starts_at: datetime
    ends_at: datetime
    final: bool
    lines: list[SlipLineView]
    corrections: list[SlipLineView]
    top_ups: list[SlipLineView]
    total_fen: int
    paid_fen: int
    payouts: list[PayoutView]
    # Debts between periods (domain.pay.carry): carried-in and carried-on lines, the debt, what this period gives
    # back and what goes on to the next (projected until the period closes); payable = what is to be paid.
    carries: list[SlipLineView] = []
    debt_fen: int = 0
    recovered_fen: int = 0
    carried_on_fen: int = 0
    payable_fen: int = 0


class SettlementLineView(BaseModel):
    order_id: str
    pieces_passed: int
    rates_centifen: list[int]  # exact rates paid, 0.0001 yuan a piece
    rates_text: list[str]  # the same as the order quoted them: "¥35.00/千件"
    residents_pay_fen: int
    service_fee_fen: int
    total_fen: int


class SettlementView(BaseModel):
    """What an enterprise owes for a period: residents' pay and the service fee side by side."""

    enterprise_id: str
    period_id: str
    service_fee_bps: int
    lines: list[SettlementLineView]
    residents_pay_fen: int
    service_fee_fen: int
    total_fen: int


class CustodyView(BaseModel):
    """Materials a resident holds for a lot; a shortage is shown, never deducted from pay."""

    resident_id: str
    lot_id: str
    community_id: str
    issued: int
    unused_returned: int
    scrap_returned: int
    finished_passed: int
    finished_rejected: int
    pending_inspection: int
    balance: int


class HourlyView(BaseModel):
    """A resident's effective hourly earnings in a period against the local hourly minimum wage."""

    resident_id: str
    resident_name: str
    community_id: str
    period_id: str
    earned_fen: int
    minutes_making: int
    minutes_pickup: int
    minutes_delivery: int
    minutes_total: int
    estimated_submissions: int
    reported_submissions: int
    effective_hourly_fen: int | None
    min_hourly_wage_fen: int
    shortfall_fen: int
    topped_up_fen: int
    community_tops_up: bool


class OverdueView(BaseModel):
    """An unpaid period past its due time: the coordinator board's alarm."""

    community_id: str
    period_id: str
    closed: bool
    due_at: datetime
    days_late: int
    unpaid_fen: int


class AppealView(BaseModel):
    id: str
    inspection_id: str
    lot_id: str
    resident_id: str
    community_id: str
    reason: str
    status: str
    filed_by: str
    on_behalf: bool
    filed_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str
    correction_inspection_id: str | None


class DebtView(BaseModel):
    """A debt carried into a period not yet closed: what the next close will recover from (at most its cap)."""

    resident_id: str
    resident_name: str
    community_id: str
    period_id: str  # the open period the debt was carried into
    from_period_id: str
    debt_fen: int  # ≥ 0
    recovery_cap_bps: int
