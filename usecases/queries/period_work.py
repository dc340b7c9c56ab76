"""What each resident earned and how long it took in one pay period: the basis of hourly pay and top-ups.

Unscoped on purpose: the period close, the coordinator's hourly view and `microfactory reconcile`
all call it, and each checks who may see what before calling.

Time counted (all of it is work, not just making):
- a submission's reported minutes (Submission.minutes_spent) are taken as everything the resident
  spent on it — making, waiting, rework and the trip to hand it in;
- a submission without reported minutes is estimated: pieces × the product's standard minutes
  (rounded up) for making, plus DELIVERY_MINUTES for handing it in;
- every issue of materials adds PICKUP_MINUTES for fetching them (nobody reports that time).
Rework time is the resubmission's time. Time follows the pay, so hours and earnings always
cover the same work: a submission counts in the period its first inspection's piece pay was
posted to (even with 0 passed), a lot's pickups where the resident's first pay for that lot
landed. Earnings are what the ledger posted to the period (late corrections included, debts carried in or
on between periods not: see domain.pay.carry).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, col, select

from domain.orders.minimum_wage import exact_minutes
from domain.pay import CARRY_KINDS, PayPeriod, PeriodPolicy, WorkMinutes, period_by_id
from store.ledger import in_community_period
from store.tables import (
    Community,
    Inspection,
    LedgerEntry,
    LedgerPeriod,
    Lot,
    MaterialIssue,
    Order,
    Product,
    Submission,
)

PICKUP_MINUTES = 15
DELIVERY_MINUTES = 10


@dataclass
class ResidentPeriodWork:
    """One resident's piece earnings (top-ups excluded) and minutes in one community's period."""

    resident_id: str
    earned_fen: int = 0
    making: int = 0
    pickup: int = 0
    delivery: int = 0
    estimated_submissions: int = 0
    reported_submissions: int = 0
    lots: set[str] = field(default_factory=set)

    @property
    def minutes(self) -> WorkMinutes:
        """The minutes in the pay domain's terms."""
        return WorkMinutes(making=self.making, pickup=self.pickup, delivery=self.delivery)


def community_policy(session: Session, community_id: str) -> PeriodPolicy:
    """The community's period policy (half a month unless configured), in Asia/Shanghai."""
    community = session.get(Community, community_id)
    return PeriodPolicy(kind=community.period_kind if community else "half_month")  # type: ignore[arg-type]


def policy_of_period_id(period_id: str) -> PeriodPolicy:
    """The policy a period id was cut by: '2026-11-A' half-month, '2026-11' month, '2026-W48' week."""
    if "-W" in period_id:
        return PeriodPolicy(kind="week")
    return PeriodPolicy(kind="half_month" if period_id.endswith(("-A", "-B")) else "month")


def parse_period(period_id: str) -> PayPeriod:
    """A period from its id, whatever policy cut it (PayInputError names the field when malformed)."""
    return period_by_id(period_id, policy_of_period_id(period_id))


def period_work(session: Session, community_id: str, period: PayPeriod) -> dict[str, ResidentPeriodWork]:
    """Every resident with earnings or paid work in the community's period, keyed by resident id."""
    work: dict[str, ResidentPeriodWork] = {}

    def of(resident_id: str) -> ResidentPeriodWork:
        return work.setdefault(resident_id, ResidentPeriodWork(resident_id))

    in_period = (in_community_period(community_id, period.period_id),)
    # Debts carried between periods are not earnings: a top-up must never pay a debt off.
    not_earnings = ("wage_top_up", *sorted(CARRY_KINDS))
    for resident_id, amount, kind in session.exec(select(
            LedgerEntry.resident_id, LedgerEntry.amount_fen, LedgerEntry.kind).where(
            *in_period, col(LedgerEntry.kind).not_in(not_earnings))).all():
        if kind == "adjustment" and amount < 0:
            continue  # a recovery is a debt the close takes back within its cap, not pay a top-up would refill
        of(resident_id).earned_fen += amount
    # A submission's time counts where its first inspection's piece pay was posted (0 passed still posts).
    for sub, std in session.exec(
            select(Submission, Product.standard_minutes_per_piece)
            .join(Inspection, col(Inspection.submission_id) == Submission.id)
            .join(LedgerEntry, col(LedgerEntry.inspection_id) == Inspection.id)
            .join(Lot, col(Lot.id) == Submission.lot_id).join(Order, col(Order.id) == Lot.order_id)
            .join(Product, col(Product.code) == Order.product_code)
            .where(*in_period, LedgerEntry.kind == "piece_pay",
                   col(Inspection.corrects_inspection_id).is_(None))).all():
        resident = of(sub.resident_id)
        if sub.minutes_spent is not None:
            resident.making += sub.minutes_spent
            resident.reported_submissions += 1
        else:
            resident.making += math.ceil(sub.pieces * exact_minutes(std))
            resident.delivery += DELIVERY_MINUTES
            resident.estimated_submissions += 1
    for resident_id, lot_id in _lots_first_paid_in(session, community_id, period.period_id):
        of(resident_id).lots.add(lot_id)
        issues = session.exec(select(func.count()).select_from(MaterialIssue).where(
            MaterialIssue.resident_id == resident_id, MaterialIssue.lot_id == lot_id,
            col(MaterialIssue.pieces) > 0)).one()
        of(resident_id).pickup += PICKUP_MINUTES * int(issues)
    return dict(sorted(work.items()))


def _lots_first_paid_in(session: Session, community_id: str, period_id: str) -> list[tuple[str, str]]:
    """(resident, lot) pairs whose first piece pay landed in this period: their pickups count here."""
    first = (select(LedgerEntry.resident_id, LedgerEntry.lot_id, func.min(LedgerEntry.id).label("first_id"))
             .where(LedgerEntry.community_id == community_id, LedgerEntry.kind == "piece_pay",
                    # a pair first paid in this period has a line in it: its resident has a row in ledger_period
                    col(LedgerEntry.resident_id).in_(select(LedgerPeriod.resident_id).where(
                        LedgerPeriod.community_id == community_id, LedgerPeriod.period_id == period_id)))
             .group_by(col(LedgerEntry.resident_id), col(LedgerEntry.lot_id)).subquery())
    rows = session.exec(select(LedgerEntry.resident_id, LedgerEntry.lot_id)
                        .join(first, first.c.first_id == LedgerEntry.id)
                        .where(LedgerEntry.period_id == period_id)).all()
    return [(r, lot) for r, lot in rows if lot is not None]


def top_ups_in_ledger(session: Session, community_id: str, period_id: str) -> dict[str, int]:
    """Wage top-ups the ledger holds per resident for one community's period."""
    totals: defaultdict[str, int] = defaultdict(int)
    for resident_id, amount in session.exec(select(LedgerEntry.resident_id, LedgerEntry.amount_fen).where(
            in_community_period(community_id, period_id), LedgerEntry.kind == "wage_top_up")).all():
        totals[resident_id] += amount
    return dict(totals)
