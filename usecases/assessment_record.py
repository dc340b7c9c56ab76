"""What the record says of a coordinator's period (考核指标): each indicator counted from the tables, once.

Time limits: an offer is handled in time when it was answered before it expired; an escalated lot when it was
offered again (by hand) within ESCALATION_HOURS; a hand-in when its first inspection came within 48 hours
(issue 17); a closed pay period when its last payout came within 15 days of its end (part-time pay at least every
15 days: Labour Contract Law art. 72). Income is the piece pay posted in the period in the coordinator's
communities, in fen.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from domain.assessment import Indicators
from domain.lifecycle import pay_period as pay_period_life
from domain.lifecycle.offer import OfferStatus
from domain.pay.ledger_days import SHANGHAI
from domain.pay.periods import PeriodPolicy, period_by_id
from store.ledger import posted_between
from store.tables import (
    AuditRecord,
    Community,
    Inspection,
    LedgerDay,
    LedgerEntry,
    Lot,
    Offer,
    OutboxEvent,
    Payout,
    PayPeriod,
    Resident,
    Submission,
)
from usecases.queries.in_work import residents_in_work

ESCALATION_HOURS = 24  # the product's default: an escalated lot is seen to within a working day
INSPECTION_HOURS = 48
SETTLEMENT_DAYS = 15


def indicators(session: Session, username: str, communities: Sequence[str], start: datetime,
               end: datetime) -> Indicators:
    """The coordinator's indicators over [start, end) in their communities."""
    offers, offers_ok = _offers(session, communities, start, end)
    escalations, escalations_ok = _escalations(session, communities, start, end)
    inspections, inspections_ok = _inspections(session, communities, start, end)
    periods, periods_ok = _pay_periods(session, communities, start, end)
    acts = session.exec(select(func.count()).select_from(AuditRecord).where(
        AuditRecord.actor == username, col(AuditRecord.on_behalf_of).is_not(None),
        col(AuditRecord.at) >= start, col(AuditRecord.at) < end)).one()
    # Residents in work as the city page, the overview and the city's report count them (usecases.queries.in_work),
    # over the period's Asia/Shanghai days: an assessment period runs from one local midnight to another.
    workers = residents_in_work(session, communities, first_day=start.astimezone(SHANGHAI).date(),
                                end_day=end.astimezone(SHANGHAI).date())
    in_work = sum(len(people) for people in workers.values())
    income = _income(session, communities, start, end)
    return Indicators(offers=offers, offers_in_time=offers_ok, escalations=escalations,
                      escalations_in_time=escalations_ok, inspections=inspections, inspections_in_48h=inspections_ok,
                      pay_periods=periods, pay_periods_in_15d=periods_ok, acts_on_behalf=int(acts),
                      residents_in_work=int(in_work), income_fen=income)


def _income(session: Session, communities: Sequence[str], start: datetime, end: datetime) -> int:
    """Fen of every ledger line posted in [start, end) in these communities. A period runs from one Asia/Shanghai
    midnight to another, so it is summed over the ledger's daily read model (ledger_day: days × residents, not a
    month of lines; issue 19); other bounds are summed from the lines."""
    first, last = start.astimezone(SHANGHAI), end.astimezone(SHANGHAI)
    if first == _midnight(first) and last == _midnight(last):
        day = col(LedgerDay.day)
        return int(session.exec(select(func.coalesce(func.sum(LedgerDay.income_fen + LedgerDay.transfer_fen), 0))
                                .where(col(LedgerDay.community_id).in_(communities), day >= first.date(),
                                       day < last.date())).one())
    return int(session.exec(select(func.coalesce(func.sum(LedgerEntry.amount_fen), 0)).where(
        posted_between(start, end, communities))).one())


def _midnight(at: datetime) -> datetime:
    return at.replace(hour=0, minute=0, second=0, microsecond=0)


def _offers(session: Session, communities: Sequence[str], start: datetime, end: datetime) -> tuple[int, int]:
    """Offers made in the period and no longer pending; those answered (accepted or declined) before expiry."""
    rows = session.exec(select(Offer.status, Offer.decided_at, Offer.expires_at).where(
        col(Offer.community_id).in_(communities), col(Offer.offered_at) >= start, col(Offer.offered_at) < end,
        Offer.status != OfferStatus.PENDING)).all()
    answered = (OfferStatus.ACCEPTED, OfferStatus.DECLINED)
    return len(rows), sum(1 for status, decided, expires in rows
                          if status in answered and decided is not None and decided <= expires)


def _escalations(session: Session, communities: Sequence[str], start: datetime, end: datetime) -> tuple[int, int]:
    """Lots escalated in the period (the LotEscalated events recorded); those offered again within the limit."""
    rows = session.exec(select(OutboxEvent.payload, OutboxEvent.created_at).where(
        OutboxEvent.type == "lot.escalated", col(OutboxEvent.key).in_(communities),
        col(OutboxEvent.created_at) >= start, col(OutboxEvent.created_at) < end)).all()
    handled = 0
    for payload, at in rows:
        lot_id = json.loads(payload)["lot_id"]
        again = session.exec(select(Offer.id).where(Offer.lot_id == lot_id, col(Offer.offered_at) >= at,
                                                    col(Offer.offered_at) <= at + timedelta(hours=ESCALATION_HOURS))
                             .limit(1)).first()
        handled += again is not None
    return len(rows), handled


def _inspections(session: Session, communities: Sequence[str], start: datetime, end: datetime) -> tuple[int, int]:
    """First inspections in the period (corrections left out); those within 48 hours of the hand-in."""
    rows = session.exec(select(Inspection.inspected_at, Submission.submitted_at)
                        .join(Submission, col(Submission.id) == Inspection.submission_id)
                        .join(Lot, col(Lot.id) == Inspection.lot_id)
                        .where(col(Lot.community_id).in_(communities), col(Inspection.corrects_inspection_id).is_(None),
                               col(Inspection.inspected_at) >= start, col(Inspection.inspected_at) < end)).all()
    limit = timedelta(hours=INSPECTION_HOURS)
    return len(rows), sum(1 for inspected, submitted in rows if inspected - submitted <= limit)


def _pay_periods(session: Session, communities: Sequence[str], start: datetime, end: datetime) -> tuple[int, int]:
    """Closed pay periods that ended in the period; those paid in full within 15 days of their end."""
    kinds = dict(session.exec(select(Community.id, Community.period_kind)
                              .where(col(Community.id).in_(communities))).all())
    total = in_time = 0
    for row in session.exec(select(PayPeriod).where(col(PayPeriod.community_id).in_(communities))).all():
        period = period_by_id(row.period_id, PeriodPolicy(kind=kinds.get(row.community_id, "half_month")))  # type: ignore[arg-type]
        if not start <= period.ends_at < end:
            continue
        total += 1
        if not pay_period_life.is_settled(row.status):
            continue
        last = session.exec(select(func.max(Payout.at)).join(Resident, col(Resident.id) == Payout.resident_id)
                            .where(Payout.period_id == row.period_id,
                                   Resident.community_id == row.community_id)).one()
        paid_at = last or row.closed_at
        in_time += paid_at <= period.ends_at + timedelta(days=SETTLEMENT_DAYS)
    return total, in_time
