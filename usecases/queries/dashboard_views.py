"""Read models of the dashboard: aggregates for the city, boards for coordinators, pages for the rest."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel

from usecases.queries.views import EarningLine, Earnings, LotView, OfferView, OrderView, ResidentView, SubmissionView


class SitePoint(BaseModel):
    """A site on the map (public: places, not people)."""

    id: str
    name: str
    community_id: str
    kind: str
    seats: int
    lat: float | None
    lon: float | None


class CommunityFigures(BaseModel):
    """One community's month in numbers; the same shape sums a whole district."""

    community_id: str
    name: str
    street: str
    district: str
    sites: int
    residents_active: int
    residents_in_work: int
    pieces_passed_month: int
    pieces_passed_total: int
    pieces_rejected_total: int
    pass_rate: float | None
    income_month_fen: int
    income_per_person_month_fen: int
    income_per_person_annualised_fen: int | None  # None for an unfinished month (domain.report_month)
    gini: float


class DayPieces(BaseModel):
    day: date
    community_id: str
    pieces: int


class CityOverview(BaseModel):
    """What the HR bureau sees: no names, no ids of people, only counts, sums and spreads."""

    month_start: datetime
    month: str  # "YYYY-MM", Asia/Shanghai
    month_finished: bool
    communities: list[CommunityFigures]
    total: CommunityFigures
    trend: list[DayPieces]
    income_distribution_fen: list[int]
    sites: list[SitePoint]


class PendingOffer(BaseModel):
    offer: OfferView
    resident_name: str


class CoordinatorBoard(BaseModel):
    """A coordinator's day: what waits for matching, answers, inspection or a decision."""

    open_lots: list[LotView]  # 待派: waiting for the matcher (open); not the escalated ones
    pending_offers: list[PendingOffer]
    overdue_lots: list[LotView]
    escalations: list[LotView]  # 需人工处理: the matcher could not place them (escalated)
    inspection_queue: list[SubmissionView]
    withdrawable: list[LotView]
    residents: list[ResidentView]
    lots: list[LotView] = []  # every unfinished lot of the communities (materials, hand-ins, inspection look here)


class DefectCount(BaseModel):
    code: str
    inspections: int
    name: str = ""  # as the product names it ('缺件' for 'MISSING 缺件'; domain.orders.defects), issue 15


class OrderProgress(BaseModel):
    """An enterprise's order: progress, quality, and when it was or will be delivered (domain.orders.delivery)."""

    order: OrderView
    pass_rate: float | None
    defects: list[DefectCount]
    projected_done_at: datetime | None  # orders still in work only: at the pace so far
    on_time: bool | None  # delivered (or, in work, projected) by its due date; False once expired
    delivered_at: datetime | None = None  # fulfilled orders: when its last piece was judged
    product_name: str = ""  # '编织网兜' (issue 15: the product as people name it, not its code)
    label: str = ""  # the enterprise's own PO number when it gave one, else '编织网兜-1129-01' (product, day, number)


class StatementLine(BaseModel):
    order_id: str
    pieces_passed: int
    residents_pay_fen: int
    service_fee_fen: int
    total_fen: int


class Statement(BaseModel):
    """A settlement statement (企业结算单) for one pay period."""

    period_id: str
    lines: list[StatementLine]
    residents_pay_fen: int
    service_fee_fen: int
    total_fen: int
    final: bool = False  # every community the period's work was done in has closed it


class EnterpriseView(BaseModel):
    enterprise_id: str
    orders: list[OrderProgress]
    cost_to_date_fen: int
    statements: list[Statement]


class PeriodPay(BaseModel):
    """A resident's pay for one period: the slip's total and its lines."""

    period_id: str
    pieces: int
    amount_fen: int
    lines: list[EarningLine]


class ResidentLot(BaseModel):
    """A lot as its resident names it: the product, where and when to fetch materials, and what to do next.

    `label` is the product and the lot's number in its order (no internal id); `open_hours` are
    (weekday 0=Mon, start minute, end minute) in Asia/Shanghai; `can_hand_in` pieces may be handed in now;
    `next_step` is one of collect (no materials yet), work (materials out, nothing to hand in), hand_in,
    wait (all handed in, awaiting inspection) and done (finished or closed).
    """

    lot: LotView
    label: str
    product_name: str
    site_name: str | None
    open_hours: list[tuple[int, int, int]]
    can_hand_in: int
    next_step: str


class ResidentHome(BaseModel):
    resident_id: str
    name: str
    offers: list[OfferView]
    lots: list[LotView]
    earnings: Earnings
    periods: list[PeriodPay]
    work: list[ResidentLot] = []  # the lots of `lots`, as the resident names them
    offered: list[ResidentLot] = []  # the lots of `offers`, in the same order
