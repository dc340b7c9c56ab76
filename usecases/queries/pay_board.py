"""Scoped reads for the coordinator board: material custody, hourly earnings, overdue pay, appeals."""

from __future__ import annotations

from datetime import datetime
from math import floor
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from domain.lifecycle import pay_period
from domain.lifecycle.submission import SubmissionStatus
from domain.pay import effective_hourly, overdue_unpaid, period_by_id, period_for, shortfall
from store.tables import (
    Appeal,
    Community,
    Inspection,
    LedgerEntry,
    LedgerPeriod,
    Lot,
    MaterialIssue,
    Order,
    Payout,
    PayPeriod,
    Resident,
    Submission,
)
from usecases.actors import Actor
from usecases.errors import Forbidden, NotFound
from usecases.minimum_wages import period_minimum_fen
from usecases.queries.pay import community_period
from usecases.queries.pay_views import AppealView, CustodyView, DebtView, HourlyView, OverdueView
from usecases.queries.period_work import community_policy, period_work, top_ups_in_ledger

COUNTS = ("issued", "unused_returned", "scrap_returned", "finished_passed", "finished_rejected", "pending_inspection")


def custody(session: Session, actor: Actor, *, resident_id: str | None = None, lot_id: str | None = None,
            community_id: str | None = None) -> list[CustodyView]:
    """Materials issued, returned and handed in as finished pieces, per resident and lot, with the balance."""
    stmt: Any = select(MaterialIssue, Lot.community_id).join(Lot, col(Lot.id) == MaterialIssue.lot_id)
    if actor.role == "resident":
        stmt = stmt.where(MaterialIssue.resident_id == (actor.resident_id or ""))
    elif actor.role == "enterprise":
        stmt = stmt.join(Order, col(Order.id) == Lot.order_id).where(Order.enterprise_id == (actor.enterprise_id or ""))
    elif actor.role == "coordinator":
        stmt = stmt.where(col(Lot.community_id).in_(sorted(actor.community_ids)))
    for column, value in ((MaterialIssue.resident_id, resident_id), (MaterialIssue.lot_id, lot_id),
                          (Lot.community_id, community_id)):
        if value is not None:
            stmt = stmt.where(column == value)
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for issue, lot_community in session.exec(stmt).all():
        row = rows.setdefault((issue.resident_id, issue.lot_id), dict.fromkeys(COUNTS, 0) | {
            "community_id": lot_community})
        row["issued"] += issue.pieces
        row["unused_returned"] += issue.unused_returned
        row["scrap_returned"] += issue.scrap_returned
    lots = sorted({lot for _, lot in rows})
    for ins in session.exec(select(Inspection).where(col(Inspection.lot_id).in_(lots),
                                                     Inspection.superseded == False)):  # noqa: E712
        if (ins.resident_id, ins.lot_id) in rows:
            rows[(ins.resident_id, ins.lot_id)]["finished_passed"] += ins.passed
            rows[(ins.resident_id, ins.lot_id)]["finished_rejected"] += 0 if ins.rework else ins.rejected
    for sub in session.exec(select(Submission).where(col(Submission.lot_id).in_(lots),
                                                     Submission.status == SubmissionStatus.PENDING)):
        if (sub.resident_id, sub.lot_id) in rows:
            rows[(sub.resident_id, sub.lot_id)]["pending_inspection"] += sub.pieces
    out = []
    for (rid, lot), r in sorted(rows.items()):
        balance = (r["issued"] - r["unused_returned"] - r["scrap_returned"] - r["finished_passed"]
                   - r["finished_rejected"] - r["pending_inspection"])
        out.append(CustodyView(resident_id=rid, lot_id=lot, balance=balance, **r))
    return out


def hourly_earnings(session: Session, actor: Actor, community_id: str, period_id: str) -> list[HourlyView]:
    """Effective hourly pay per resident (by resident id) against the minimum wage, for the community's
    coordinator."""
    actor.require("coordinator", "city")
    community = session.get(Community, community_id)
    if community is None or not actor.may_see_community(community_id):
        raise NotFound("community_id", f"no such community: {community_id}")
    period = community_period(session, community_id, period_id)
    minimum = period_minimum_fen(session, community, period)
    topped = top_ups_in_ledger(session, community_id, period.period_id)
    work = period_work(session, community_id, period)
    names = dict(session.exec(select(Resident.id, Resident.name).where(col(Resident.id).in_(list(work)))).all())
    out = []
    for rid, w in sorted(work.items()):  # by id: a page boundary falls in the same place on every request
        total = w.minutes.total
        rate = floor(effective_hourly(earned_fen=w.earned_fen, minutes=w.minutes)) if total else None
        out.append(HourlyView(
            resident_id=rid, resident_name=names.get(rid, rid), community_id=community_id,
            period_id=period.period_id, earned_fen=w.earned_fen, minutes_making=w.making, minutes_pickup=w.pickup,
            minutes_delivery=w.delivery, minutes_total=total, estimated_submissions=w.estimated_submissions,
            reported_submissions=w.reported_submissions, effective_hourly_fen=rate, min_hourly_wage_fen=minimum,
            shortfall_fen=shortfall(earned_fen=w.earned_fen, total_minutes=total, min_hourly_wage_fen=minimum),
            topped_up_fen=topped.get(rid, 0), community_tops_up=community.tops_up_minimum_wage))
    return out


def hourly_this_period(session: Session, actor: Actor, *, now: datetime) -> list[HourlyView]:
    """Effective hourly pay in the current period of every community the coordinator looks after, lowest first."""
    actor.require("coordinator", "city")
    communities = sorted(c for c in session.exec(select(Community.id)).all()
                         if actor.role == "coordinator" and actor.may_see_community(c))
    views = [view for community_id in communities for view in hourly_earnings(
        session, actor, community_id, period_for(now, community_policy(session, community_id)).period_id)]
    return sorted(views, key=lambda v: (v.effective_hourly_fen is None, v.effective_hourly_fen or 0, v.resident_id))


def overdue_periods(session: Session, actor: Actor, *, now: datetime) -> list[OverdueView]:
    """Unpaid periods past due (closed or never closed), oldest first: the alarm on the coordinator board."""
    actor.require("coordinator", "city")
    communities = [c for c in session.exec(select(Community.id)).all() if actor.may_see_community(c)]
    owed = session.exec(select(LedgerPeriod.community_id, LedgerPeriod.period_id, func.sum(LedgerPeriod.amount_fen))
                        .where(col(LedgerPeriod.community_id).in_(communities))
                        .group_by(LedgerPeriod.community_id, LedgerPeriod.period_id)).all()
    paid = {(c, p): int(s or 0) for c, p, s in session.exec(
        select(Resident.community_id, Payout.period_id, func.sum(Payout.amount_fen))
        .join(Resident, col(Resident.id) == Payout.resident_id)
        .where(col(Resident.community_id).in_(communities))
        .group_by(Resident.community_id, Payout.period_id)).all()}
    closed = {(r.community_id, r.period_id): r for r in session.exec(
        select(PayPeriod).where(col(PayPeriod.community_id).in_(communities)))}
    out: list[OverdueView] = []
    for community_id, period_id, total in owed:
        row = closed.get((community_id, period_id))
        unpaid = int(total or 0) - paid.get((community_id, period_id), 0)
        if unpaid <= 0 or (row is not None and pay_period.is_settled(row.status)):
            continue
        period = period_by_id(period_id, community_policy(session, community_id))
        for alarm in overdue_unpaid([(period, row is not None, False)], now):
            out.append(OverdueView(community_id=community_id, period_id=period_id, closed=alarm.closed,
                                   due_at=alarm.due_at, days_late=alarm.days_late, unpaid_fen=unpaid))
    return sorted(out, key=lambda o: (o.due_at, o.community_id, o.period_id))  # unique: pages never overlap


def carried_debts(session: Session, actor: Actor) -> list[DebtView]:
    """Debts carried into periods not yet closed in the coordinator's communities, largest first."""
    actor.require("coordinator", "city")
    closed = {(c, p) for c, p in session.exec(select(PayPeriod.community_id, PayPeriod.period_id)).all()}
    rows = session.exec(select(LedgerEntry, Resident.name, Community.debt_recovery_cap_bps)
                        .join(Resident, col(Resident.id) == LedgerEntry.resident_id)
                        .join(Community, col(Community.id) == LedgerEntry.community_id)
                        .where(LedgerEntry.kind == "carried_in")).all()
    out = [DebtView(resident_id=e.resident_id, resident_name=name, community_id=e.community_id,
                    period_id=e.period_id, from_period_id=(e.reverses_entry_key or "").split(":")[-2],
                    debt_fen=-e.amount_fen, recovery_cap_bps=cap)
           for e, name, cap in rows
           if (e.community_id, e.period_id) not in closed and actor.may_see_community(e.community_id)]
    return sorted(out, key=lambda d: (-d.debt_fen, d.community_id, d.resident_id, d.period_id))  # unique


def appeals(session: Session, actor: Actor, *, status: str | None = None, limit: int = 500,
            offset: int = 0) -> list[AppealView]:
    """A resident's own appeals, or those of a coordinator's communities; newest first (ties by id, so pages never
    overlap), `limit` from `offset`."""
    stmt = select(Appeal).order_by(col(Appeal.filed_at).desc(), col(Appeal.id).desc())
    if actor.role == "resident":
        stmt = stmt.where(Appeal.resident_id == (actor.resident_id or ""))
    elif actor.role == "coordinator":
        stmt = stmt.where(col(Appeal.community_id).in_(sorted(actor.community_ids)))
    elif actor.role not in ("city", "system"):
        raise Forbidden("role", "申诉只有居民和社区工作者能查看 / appeals are seen by residents and coordinators")
    if status:
        stmt = stmt.where(Appeal.status == status)
    return [AppealView.model_validate(a, from_attributes=True) for a in session.exec(stmt.offset(offset).limit(limit))]
